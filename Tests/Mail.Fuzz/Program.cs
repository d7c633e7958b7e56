using Mail.Fuzz;
using SharpFuzz;

// Mail.Fuzz <target>                 under afl-fuzz: SharpFuzz's fork server, inputs on stdin, run in a child process
//                                    that is restarted when it dies or hangs (so a hang or stack overflow is a finding)
// Mail.Fuzz <target> <file|dir>...   replays inputs once each (crash triage, corpus checks); exit 1 on any failure
// Mail.Fuzz --list                   the target names, one per line (infra/fuzz.sh runs them in this order)
if (args is ["--list"])
{
    foreach (var name in FuzzTargets.Names) Console.WriteLine(name);
    return 0;
}
if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Mail.Fuzz <{string.Join('|', FuzzTargets.Names)}> [input files or directories]");
    return 2;
}
if (args.Length > 1) return InputReplay.Run(target, args[1..]);

Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.GetBuffer().AsSpan(0, (int)copy.Length));
});
return 0;
