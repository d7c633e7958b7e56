using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Mail.Frontends.Hosting;
using Mail.Frontends.Imap.Mime;
using Mail.Frontends.Imap.Protocol;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Imap.Session;

/// <summary>
/// The state of one IMAP connection (RFC 9051 §3) and its I/O: framing of commands, responses, the selected
/// mailbox, and the unsolicited updates that keep the client's view in step with the mailbox change log.
/// </summary>
public sealed class ImapSession : IProtocolSession
{
    private const int HeaderReadLimit = 256 * 1024;
    private readonly Dictionary<long, MessageContent> _contents = new();
    private readonly List<StreamedLiteral> _literals = new();
    private IMailboxGrain? _mailbox;

    /// <summary>A result a handler returns when it has already written its tagged response (STARTTLS, IDLE).</summary>
    public static readonly ImapResult AlreadyAnswered = new("", "");

    /// <summary>Creates the session of a connection.</summary>
    public ImapSession(ConnectionTransport transport, System.Net.IPAddress remoteAddress, ImapOptions options, IGrainFactory grains,
        CredentialVerifier credentials, IBlobStore blobs, X509Certificate2? certificate, ILogger logger)
    {
        Transport = transport;
        RemoteAddress = remoteAddress;
        Options = options;
        Grains = grains;
        Credentials = credentials;
        Blobs = blobs;
        Certificate = certificate;
        Logger = logger;
        Framer = new CommandFramer(ImapLimits.Unauthenticated(options.PreAuthMaxLineLength));
        Cache = new MessageCache(options.MessageCacheBytes);
        Progress = new CommandProgress(TimeSpan.FromMilliseconds(options.ProgressIntervalMilliseconds));
    }

    /// <summary>INPROGRESS reports of the running command (RFC 9585).</summary>
    public CommandProgress Progress { get; }

    /// <summary>Messages kept between the commands that read them, bounded by their octets.</summary>
    public MessageCache Cache { get; }

    /// <summary>The connection's pipes.</summary>
    public ConnectionTransport Transport { get; }

    /// <summary>Client IP address.</summary>
    public System.Net.IPAddress RemoteAddress { get; }

    /// <summary>Settings.</summary>
    public ImapOptions Options { get; }

    /// <summary>The credential check, with its guessing throttle.</summary>
    public CredentialVerifier Credentials { get; }

    /// <summary>Grains.</summary>
    public IGrainFactory Grains { get; }

    /// <summary>Message content.</summary>
    public IBlobStore Blobs { get; }

    /// <summary>Certificate for STARTTLS, if configured.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Logger.</summary>
    public ILogger Logger { get; }

    /// <summary>The SASL decoder of AUTHENTICATE.</summary>
    public required SaslDecoder Sasl { get; init; }

    /// <summary>Finds command boundaries in the input, within the limits of the current state.</summary>
    public CommandFramer Framer { get; }

    /// <summary>Session id for logs.</summary>
    public string Id { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];

    /// <summary>The connection state.</summary>
    public ImapState State { get; private set; } = ImapState.NotAuthenticated;

    /// <summary>The logged-in account.</summary>
    public AccountInfo? Account { get; private set; }

    /// <summary>IMAP4rev2 enabled (RFC 9051 §6.3.1): UTF-8 names and quoted strings, ESEARCH, no \Recent.</summary>
    public bool Rev2 { get; set; }

    /// <summary>UTF8=ACCEPT enabled (RFC 6855 §3): UTF-8 mailbox names and quoted strings both ways, no SEARCH CHARSET.</summary>
    public bool Utf8Accept { get; set; }

    /// <summary>Whether UTF-8 may be sent in quoted strings and mailbox names: IMAP4rev2 or UTF8=ACCEPT is enabled.</summary>
    public bool Utf8 => Rev2 || Utf8Accept;

    /// <summary>CONDSTORE enabled (RFC 7162 §3.1): MODSEQ in FETCH responses.</summary>
    public bool Condstore { get; set; }

    /// <summary>
    /// Turns CONDSTORE on for a CONDSTORE-enabling command (RFC 7162 §3.1: FETCH MODSEQ, CHANGEDSINCE, SEARCH MODSEQ,
    /// STORE UNCHANGEDSINCE); the first one while a mailbox is selected is answered with its HIGHESTMODSEQ, the position
    /// up to which this session has reported the mailbox's changes.
    /// </summary>
    public void EnableCondstore()
    {
        if (Condstore) return;
        Condstore = true;
        if (Selected is { } selected) Untagged($"OK [HIGHESTMODSEQ {selected.LogPosition}] Highest");
    }

    /// <summary>QRESYNC enabled (RFC 7162 §3.2): VANISHED instead of EXPUNGE.</summary>
    public bool Qresync { get; set; }

    /// <summary>
    /// UIDONLY enabled (RFC 9586): commands that name messages by sequence number are refused with [UIDREQUIRED], FETCH
    /// responses are "* uid UIDFETCH", and expunges are reported with VANISHED.
    /// </summary>
    public bool UidOnly { get; set; }

    /// <summary>Whether expunges are reported as VANISHED (QRESYNC, RFC 7162 §3.2.10; UIDONLY, RFC 9586) rather than EXPUNGE.</summary>
    public bool ReportsVanished => Qresync || UidOnly;

    /// <summary>The start of a FETCH response: "* n FETCH " by sequence number, or "* uid UIDFETCH " under UIDONLY (RFC 9586).</summary>
    public string FetchHead(int index, long uid) => UidOnly ? $"* {uid} UIDFETCH " : $"* {index + 1} FETCH ";

    /// <summary>The selected mailbox.</summary>
    public SelectedFolder? Selected { get; private set; }

    /// <summary>The flags and keywords announced for the selected mailbox (set by SELECT/EXAMINE).</summary>
    public AnnouncedFlags? Flags { get; set; }

    /// <summary>The messages that are \Recent in this session (IMAP4rev1 only; RFC 3501 §2.3.2).</summary>
    public RecentUids Recent { get; private set; } = new();

    /// <summary>The UIDs of the last SEARCH RETURN (SAVE) in the selected mailbox, which "$" names (RFC 5182 §2.1).</summary>
    public IReadOnlyList<long> SavedResult { get; set; } = [];

    /// <summary>The updating searches of the selected mailbox (RFC 5267 §4: CONTEXT=SEARCH, CONTEXT=SORT).</summary>
    public SearchUpdates Updates { get; } = new();

    /// <summary>The NOTIFY SET in force (RFC 5465), if any.</summary>
    public NotifySession? Notify { get; set; }

    /// <summary>Ends NOTIFY, if it is on (NOTIFY NONE, a new NOTIFY SET, UNAUTHENTICATE, the end of the connection).</summary>
    public async Task StopNotifyAsync()
    {
        if (Notify is not { } notify) return;
        Notify = null;
        await notify.DisposeAsync();
    }

    /// <summary>
    /// The right to write responses: a command holds it from its first response to its tagged one, the reading of a
    /// command holds it to ask for a literal, and NOTIFY's reports between commands take it, so that they never interleave.
    /// </summary>
    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>Whether an exception means the client or the connection went away.</summary>
    public static bool IsDisconnect(Exception e) => ProtocolConnectionHandler<ImapSession, FrameStatus>.IsDisconnect(e);

    /// <summary>Failed LOGIN/AUTHENTICATE attempts.</summary>
    public int AuthFailures { get; set; }

    /// <summary>Set to end the session after the current command.</summary>
    public bool Closing { get; set; }

    /// <summary>The account's mailbox grain.</summary>
    public IMailboxGrain Mailbox => _mailbox ?? throw new InvalidOperationException("Not logged in.");

    /// <summary>The grain that owns the selected folder: the account's own, or the owner's of a shared folder (RFC 4314).</summary>
    public IMailboxGrain SelectedMailbox => Selected?.Grain ?? Mailbox;

    /// <summary>
    /// Resolves a mailbox name (decoded) to the grain that owns it and the session's rights there: a personal name to
    /// the account's own mailbox with every right; <c>Other Users/owner/folder</c> to the owner's mailbox when the owner is
    /// an account of the same tenant and grants this account any right on the folder. Null when the name denotes no
    /// mailbox the session may know of: another tenant's, a missing folder and a folder without rights look the same
    /// (RFC 4314 §4 and §6: existence is not revealed).
    /// </summary>
    public async Task<MailboxTarget?> ResolveAsync(string name)
    {
        var account = Account!;
        if (!OtherUsersNamespace.Contains(name)) return new MailboxTarget(Mailbox, name, null, AclRights.All);
        if (!OtherUsersNamespace.TryParse(name, out var owner, out var folder) || AddressKey.Normalize(owner) is not { } address) return null;
        var route = await Grains.GetGrain<IAddressGrain>(address).ResolveAsync();
        if (route is null || route.TenantId != account.TenantId || route.AccountId == account.AccountId) return null;
        var grain = Grains.GetGrain<IMailboxGrain>(route.AccountId);
        string rights;
        try
        {
            rights = await grain.GetRightsAsync(folder, account.TenantId, account.AccountId);
        }
        catch (Mail.Grains.Interfaces.Errors.MailException e) when (e.Code == Mail.Grains.Interfaces.Errors.MailErrorCode.NotFound)
        {
            return null;
        }
        return rights.Length == 0 ? null : new MailboxTarget(grain, folder, address, rights);
    }

    /// <summary>
    /// How long the next command may take to begin and to arrive in full: before login the short pre-login timer for
    /// both; after it the autologout timer (RFC 9051 §5.4) until the first octet, then the command timeout.
    /// </summary>
    public SessionDeadlines Deadlines
    {
        get
        {
            var command = TimeSpan.FromSeconds(Options.CommandTimeoutSeconds);
            if (State != ImapState.NotAuthenticated) return new SessionDeadlines(TimeSpan.FromMinutes(Options.IdleTimeoutMinutes), command);
            var preLogin = TimeSpan.FromSeconds(Options.PreAuthIdleTimeoutSeconds);
            return new SessionDeadlines(preLogin, preLogin < command ? preLogin : command);
        }
    }

    /// <summary>Whether LOGIN and AUTHENTICATE PLAIN are allowed now (RFC 9051 §6.2.3: not over plaintext).</summary>
    public bool PlaintextAuthAllowed => Transport.IsTls || Options.AllowPlaintextAuth;

    /// <summary>A writer for one response.</summary>
    public ImapWriter Writer() => new(Transport.Output, Utf8);

    /// <summary>Writes "* text" CRLF.</summary>
    public void Untagged(string text) => Writer().Raw("* ").Raw(Encoding.UTF8.GetBytes(text)).Crlf();

    /// <summary>
    /// Writes the tagged completion. Every tagged reply passes here, so a NO or BAD is counted here as an error of
    /// <paramref name="command"/>: a name the handler set knows (with "UID " for the UID form), or "unknown".
    /// </summary>
    public void Tagged(string tag, ImapResult result, string command)
    {
        if (result.Status is "NO" or "BAD") Mail.Grains.Interfaces.Diagnostics.MailTelemetry.CommandError("imap", command);
        Writer().Raw(tag).Raw(" " + result.Status + " ").Raw(result.Code is null ? "" : "[" + result.Code + "] ").Raw(Encoding.UTF8.GetBytes(result.Text)).Crlf();
    }

    /// <summary>Writes a continuation request "+ text" (RFC 9051 §7.5).</summary>
    public void Continuation(string text) => Writer().Raw("+ " + text).Crlf();

    /// <summary>Sends what was written.</summary>
    public async Task FlushAsync(CancellationToken ct) => await Transport.Output.FlushAsync(ct);

    /// <summary>Switches to the authenticated state.</summary>
    public void LogIn(AccountInfo account)
    {
        Account = account;
        _mailbox = Grains.GetGrain<IMailboxGrain>(account.AccountId);
        State = ImapState.Authenticated;
        Framer.Limits = ImapLimits.Authenticated(Options.MaxLineLength, Options.MaxLiteralBytes, Options.MaxNesting);
        Framer.StreamLiteral = AppendLiteralRule.Streams;
    }

    /// <summary>
    /// Returns to the not-authenticated state (UNAUTHENTICATE, RFC 8437 §3): the mailbox is closed without expunge,
    /// what ENABLE turned on is off again, and the identity is gone; TLS stays.
    /// </summary>
    public void LogOut()
    {
        Select(null);
        Account = null;
        _mailbox = null;
        Rev2 = false;
        Condstore = false;
        Qresync = false;
        UidOnly = false;
        Utf8Accept = false;
        AuthFailures = 0;
        State = ImapState.NotAuthenticated;
        Framer.Limits = ImapLimits.Unauthenticated(Options.PreAuthMaxLineLength);
        Framer.StreamLiteral = null;
    }

    /// <summary>The next literal streamed for the current command, without taking it (null when there is none).</summary>
    public StreamedLiteral? PeekStreamedLiteral() => _literals.Count == 0 ? null : _literals[0];

    /// <summary>Takes the next literal streamed for the current command: the caller files its blob, or deletes it.</summary>
    public StreamedLiteral? TakeStreamedLiteral()
    {
        if (_literals.Count == 0) return null;
        var literal = _literals[0];
        _literals.RemoveAt(0);
        return literal;
    }

    /// <summary>Deletes the blobs of streamed literals no command filed (it failed before): no row references them.</summary>
    public async Task DiscardStreamedLiteralsAsync()
    {
        foreach (var literal in _literals)
        {
            if (literal.Blob is { } blob) await Blobs.DeleteAsync(Account!.TenantId, blob, CancellationToken.None);
        }
        _literals.Clear();
    }

    /// <summary>Selects a mailbox (or none); the previous one's view is dropped.</summary>
    public void Select(SelectedFolder? folder)
    {
        Selected = folder;
        State = folder is null ? ImapState.Authenticated : ImapState.Selected;
        Flags = null;
        Recent = new RecentUids();
        SavedResult = [];
        Updates.Clear();
        Cache.Clear();
    }

    /// <summary>
    /// The set a command names: "$" becomes the UIDs of the saved search result (RFC 5182 §2.1), which are UIDs whether the
    /// command is a UID command or not; expunged ones are no longer in the view and drop out.
    /// </summary>
    public (SequenceSet Set, bool Uid) Substitute(SequenceSet set, bool uid) =>
        set.IsSavedResult ? (new SequenceSet(SavedResult.Select(u => new SequenceRange(u, u)).ToList()), true) : (set, uid);

    /// <summary>The capability list for the current state (RFC 9051 §7.2.2).</summary>
    public string Capabilities()
    {
        var builder = new StringBuilder("IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE");
        if (State == ImapState.NotAuthenticated)
        {
            if (!Transport.IsTls && Certificate is not null) builder.Append(" STARTTLS");
            builder.Append(PlaintextAuthAllowed ? " AUTH=PLAIN" : " LOGINDISABLED");
            if (PlaintextAuthAllowed && Credentials.BearerTokensAccepted) builder.Append(" AUTH=OAUTHBEARER AUTH=XOAUTH2");
            return builder.ToString();
        }
        builder.Append(" IDLE NAMESPACE UNSELECT UNAUTHENTICATE UIDPLUS MOVE CHILDREN SPECIAL-USE LIST-EXTENDED LIST-STATUS")
            .Append(" NOTIFY CONTEXT=SEARCH CONTEXT=SORT")
            .Append(" CONDSTORE QRESYNC ESEARCH SEARCHRES MULTIAPPEND CATENATE QUOTA QUOTA=RES-STORAGE STATUS=SIZE BINARY SORT SORT=DISPLAY ESORT WITHIN I18NLEVEL=1 INPROGRESS UIDONLY PREVIEW PREVIEW=FUZZY SNIPPET=FUZZY THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS")
            .Append(" ACL RIGHTS=texk APPENDLIMIT=").Append(Options.MaxLiteralBytes);
        builder.Append(" REPLACE OBJECTID SAVEDATE CREATE-SPECIAL-USE COMPRESS=DEFLATE UTF8=ACCEPT");
        return builder.ToString();
    }

    /// <summary>
    /// A mailbox name as the client sent it, decoded (modified UTF-7 for IMAP4rev1, RFC 3501 §5.1.3); after UTF8=ACCEPT it is
    /// UTF-8 as it stands (RFC 6855 §3: no modified UTF-7, so "&amp;" is just a character).
    /// </summary>
    public string DecodeMailbox(string wire) => Utf8Accept ? wire : MailboxNameCodec.DecodeUtf7(wire);

    /// <summary>A mailbox name for the client.</summary>
    public string EncodeMailbox(string name) => Utf8 ? name : MailboxNameCodec.EncodeUtf7(name);

    /// <summary>Reads the next command; null when the client has gone.</summary>
    public async Task<FrameStatus?> ReadCommandAsync(CancellationToken ct)
    {
        if (_literals.Count > 0) await DiscardStreamedLiteralsAsync();
        Framer.Reset();
        while (true)
        {
            var input = Transport.Input;
            var result = await input.ReadAsync(ct);
            var reader = new SequenceReader<byte>(result.Buffer);
            var status = Framer.Read(ref reader);
            if (status == FrameStatus.Incomplete)
            {
                input.AdvanceTo(reader.Position, result.Buffer.End);
                if (result.IsCompleted) return null;
                continue;
            }
            input.AdvanceTo(reader.Position);
            if (status == FrameStatus.Literal)
            {
                if (Framer.PendingSynchronizing) await ContinueAsync(ct);
                _literals.Add(await StreamedLiteral.ReceiveAsync(input, Framer.PendingLiteral, Blobs, Account!.TenantId, ct));
                Framer.LiteralStreamed();
                continue;
            }
            if (status != FrameStatus.Continue) return status;
            await ContinueAsync(ct);
        }
    }

    /// <summary>Asks for a synchronizing literal, in the output turn (a NOTIFY report may be going out between commands).</summary>
    private async Task ContinueAsync(CancellationToken ct)
    {
        await Turn.WaitAsync(ct);
        try
        {
            Continuation("Ready for literal data");
            await FlushAsync(ct);
        }
        finally
        {
            Turn.Release();
        }
    }

    /// <summary>
    /// Reads one raw line (AUTHENTICATE responses, IDLE's DONE) with the shared line reader, within the line limit of the
    /// state; null at end of input. An over-long line reads as "*" (cancel). With <paramref name="flush"/> false the
    /// output is left alone, for a reader running beside a writer (IDLE).
    /// </summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct, bool flush = true) =>
        await Transport.ReadLineAsync(Framer.Limits.MaxLineLength, ct, flush) switch
        {
            null => null,
            { Status: LineStatus.TooLong } => "*",
            { Line: var line } => Encoding.UTF8.GetString(line),
        };

    /// <summary>
    /// Brings the client's view of the selected mailbox up to date (see <see cref="SyncViewAsync"/>), then follows the
    /// new messages with the FETCH that NOTIFY's MessageNew asks for (RFC 5465 §5.2) and reports what changed in the
    /// updating searches (RFC 5267 §4.3).
    /// </summary>
    public async Task SyncAsync(bool allowExpunge)
    {
        var selected = Selected;
        if (selected is null) return;
        var before = selected.MaxUid;
        await SyncViewAsync(allowExpunge);
        if (Closing || !ReferenceEquals(Selected, selected)) return;
        if (Notify is { Active: true } notify && selected.MaxUid > before) await notify.FetchNewAsync(before + 1, CancellationToken.None);
        if (Updates.Count > 0) await Updates.RefreshAsync(this, CancellationToken.None);
    }

    /// <summary>
    /// Brings the client's view of the selected mailbox up to date from the change log (the truth, not stream
    /// hints): EXISTS for new messages, EXPUNGE (VANISHED with QRESYNC) for removals, in log order so sequence
    /// numbers stay consistent (RFC 9051 §7.5.2), then FETCH FLAGS for messages whose flags another session changed.
    /// With <paramref name="allowExpunge"/> false (during FETCH, STORE, SEARCH: RFC 9051 §7.5.1) replay stops before the
    /// first removal. The view is edited copy-on-write; once it has copied <see cref="RebasePages"/> pages and is
    /// current, it takes the grain's map again, which holds the same messages, so what it held alone is given up.
    /// </summary>
    private async Task SyncViewAsync(bool allowExpunge)
    {
        var selected = Selected;
        if (selected is null) return;
        var mailbox = selected.Grain;
        var head = await mailbox.GetHighestModseqAsync();
        if (head <= selected.LogPosition) return;
        // The first UID added by this replay and not yet announced with EXISTS (0: none).
        long firstAdded = 0;
        var stopped = false;
        FolderMapBuilder view = null!;
        var vanished = new List<long>();
        var flagged = new List<long>();
        while (!stopped)
        {
            IReadOnlyList<MailboxChange> changes;
            try
            {
                changes = await mailbox.GetChangesAsync(selected.LogPosition, ChangePage);
            }
            catch (Mail.Grains.Interfaces.Errors.MailException e) when (e.Code == Mail.Grains.Interfaces.Errors.MailErrorCode.HistoryPruned)
            {
                // The log was pruned past what this session showed: no update can be vouched for. RFC 9051 §7.1.5: BYE,
                // and the client reconnects and resynchronizes (QRESYNC then answers without the log).
                Untagged("BYE [UNAVAILABLE] The mailbox changed more than this session can follow; reconnect");
                Closing = true;
                return;
            }
            view = selected.Map.ToBuilder();
            foreach (var change in changes)
            {
                if (change.FolderId == selected.FolderId)
                {
                    switch (change.Kind)
                    {
                        case MailboxChangeKind.Added when change.Uid > view.MaxUid && change.MessageId is { } added:
                            FlushVanished(vanished);
                            view.Append(change.Uid.Value, added, 0, null);
                            if (firstAdded == 0) firstAdded = change.Uid.Value;
                            break;
                        case MailboxChangeKind.FlagsChanged when change.Uid is { } uid && !selected.IsOwnChange(change.Modseq):
                            flagged.Add(uid);
                            break;
                        case MailboxChangeKind.Expunged when change.Uid is { } uid:
                        {
                            var index = view.IndexOfUid(uid);
                            if (index < 0) break;
                            if (!allowExpunge)
                            {
                                stopped = true;
                                break;
                            }
                            await FlushExistsAsync();
                            Updates.BeforeExpunge(this, uid, index);
                            view.Remove(uid);
                            Recent.Removed(uid);
                            if (ReportsVanished) vanished.Add(uid);
                            else Untagged($"{index + 1} EXPUNGE");
                            break;
                        }
                        case MailboxChangeKind.FolderRenamed:
                        {
                            var folders = await mailbox.ListFoldersAsync();
                            if (folders.FirstOrDefault(f => f.FolderId == selected.FolderId) is { } renamed) selected.Name = selected.Target.ClientName(renamed.Name);
                            break;
                        }
                    }
                }
                if (stopped) break;
                selected.LogPosition = change.Modseq;
            }
            if (view.CopiedPages > 0) selected.Apply(view);
            if (changes.Count < ChangePage) break;
        }
        await FlushExistsAsync();
        FlushVanished(vanished);
        await WriteFlagChangesAsync(selected, flagged);
        selected.ForgetOwnChangesUpTo(selected.LogPosition);
        if (!stopped && selected.PrivatePages >= RebasePages)
        {
            var current = await mailbox.GetFolderViewAsync(selected.FolderId);
            // The grain's map is this view when the folder has not changed since the position replayed to.
            if (current.Folder.HighestModseq <= selected.LogPosition && !selected.Rebase(current.Map))
            {
                Logger.LogWarning("Session {Session}: the view of folder {Folder} differs from the grain's map at the same MODSEQ", Id, selected.FolderId);
            }
        }

        // RFC 3501 §7.3.2: RECENT goes with EXISTS; the new messages this session claims are recent here only. The
        // replayed edit becomes the view first, so that EXISTS and the claim count what the client is told of.
        async Task FlushExistsAsync()
        {
            if (firstAdded == 0) return;
            selected.Apply(view);
            view = selected.Map.ToBuilder();
            Untagged($"{selected.Count} EXISTS");
            if (await ClaimRecentAsync(firstAdded)) Untagged($"{Recent.Count} RECENT");
            firstAdded = 0;
        }
    }

    /// <summary>
    /// Claims \Recent (RFC 3501 §2.3.2) for the view's messages from UID <paramref name="firstUid"/> on that no other
    /// session has claimed: a read-write selection takes them from the mailbox grain, a read-only one only looks. False
    /// for IMAP4rev2, which has no \Recent (RFC 9051 Appendix E).
    /// </summary>
    public async Task<bool> ClaimRecentAsync(long firstUid)
    {
        var selected = Selected;
        if (selected is null || Rev2) return false;
        var limit = selected.MaxUid + 1;
        if (firstUid < limit)
        {
            var unclaimed = await selected.Grain.ClaimRecentAsync(selected.FolderId, limit, claim: !selected.ReadOnly);
            var first = Math.Max(unclaimed, firstUid);
            if (first < limit) Recent.Add(first, limit - 1, selected.CountFromUid(first));
        }
        return true;
    }

    /// <summary>Whether a message of the selected mailbox is \Recent in this session.</summary>
    public bool IsRecent(long uid) => !Rev2 && Recent.Contains(uid);

    /// <summary>The flags a FETCH shows for a message: its own, and \Recent when it is recent in this session.</summary>
    public IEnumerable<string> FlagsOf(MessageState state) => IsRecent(state.Uid) ? state.Flags.Prepend("\\Recent") : state.Flags;

    /// <summary>
    /// Announces keywords of <paramref name="flags"/> the client has not been told of, with FLAGS and PERMANENTFLAGS
    /// (RFC 9051 §7.3.5, RFC 3501 §7.2.6), before the FETCH response that shows them is written.
    /// </summary>
    public void AnnounceKeywords(IEnumerable<string> flags)
    {
        if (Flags is not { } announced || Selected is not { } selected || !announced.TryAdd(flags)) return;
        announced.WriteFlags(this);
        announced.WritePermanentFlags(this, selected);
    }

    /// <summary>Change-log rows read per grain call by <see cref="SyncAsync"/>.</summary>
    private const int ChangePage = 500;

    /// <summary>Pages a view may copy before <see cref="SyncAsync"/> takes the grain's map again.</summary>
    public const int RebasePages = 16;

    /// <summary>
    /// Announces the current flags (and MODSEQ with CONDSTORE) of messages other sessions changed, those still in the
    /// view, read a page at a time: from the grain's memory, or from the database when MODSEQ is wanted.
    /// </summary>
    private async Task WriteFlagChangesAsync(SelectedFolder selected, List<long> uids)
    {
        if (uids.Count == 0) return;
        var present = uids.Distinct().Where(uid => selected.IndexOfUid(uid) >= 0).Order().ToList();
        foreach (var chunk in present.Chunk(IMailboxGrain.MaxSlotBatch))
        {
            if (Condstore)
            {
                foreach (var slot in await selected.Grain.GetSlotsAsync(selected.FolderId, chunk))
                {
                    WriteFlags(selected.IndexOfUid(slot.Uid), MessageState.FromSlot(slot), includeUid: true);
                }
                continue;
            }
            var page = await selected.Grain.GetFlagsAsync(selected.FolderId, chunk);
            for (var k = 0; k < page.Uids.Length; k++)
            {
                var index = selected.IndexOfUid(page.Uids[k]);
                WriteFlags(index, new MessageState(selected.MessageIdAt(index), page.Uids[k], 0, page.Flags[k], 0, default), includeUid: true);
            }
        }
    }

    /// <summary>
    /// Walks the messages at <paramref name="indexes"/> of the selected mailbox a page at a time, loading
    /// <paramref name="detail"/> for each page with one grain call while the caller works on the previous page; nothing
    /// is held for more than two pages, so a FETCH 1:* of a million messages streams.
    /// </summary>
    public async IAsyncEnumerable<MessageBatch> PagesAsync(IReadOnlyList<int> indexes, MessageDetail detail, int pageSize)
    {
        var selected = Selected!;
        var map = selected.Map;
        Task<MessageBatch>? next = null;
        try
        {
            for (var start = 0; start < indexes.Count; start += pageSize)
            {
                var current = next ?? LoadPageAsync(selected.Grain, selected.FolderId, map, indexes, start, pageSize, detail);
                next = start + pageSize < indexes.Count ? LoadPageAsync(selected.Grain, selected.FolderId, map, indexes, start + pageSize, pageSize, detail) : null;
                yield return await current;
            }
        }
        finally
        {
            // A caller that stops early leaves the read-ahead page; it is awaited so that its failure is observed.
            if (next is not null)
            {
                try
                {
                    await next;
                }
                catch (Exception e)
                {
                    Logger.LogDebug(e, "Session {Session}: a page read ahead failed after the command stopped", Id);
                }
            }
        }
    }

    /// <summary>
    /// Where each UID of a page stands in it. The grain answers in UID order, and a page follows the command's set, which
    /// need not be ascending (imaptest's stress found a FETCH whose answer walked past the page's end).
    /// </summary>
    private static Dictionary<long, int> Positions(long[] uids)
    {
        var at = new Dictionary<long, int>(uids.Length);
        for (var k = 0; k < uids.Length; k++) at.TryAdd(uids[k], k);
        return at;
    }

    private static async Task<MessageBatch> LoadPageAsync(IMailboxGrain mailbox, int folderId, FolderMap map, IReadOnlyList<int> indexes, int start, int pageSize, MessageDetail detail)
    {
        var count = Math.Min(pageSize, indexes.Count - start);
        var positions = new int[count];
        var uids = new long[count];
        var ids = new long[count];
        for (var k = 0; k < count; k++)
        {
            positions[k] = indexes[start + k];
            uids[k] = map.UidAt(positions[k]);
            ids[k] = map.MessageIdAt(positions[k]);
        }
        var states = new MessageState?[count];
        switch (detail)
        {
            case MessageDetail.None:
                for (var k = 0; k < count; k++) states[k] = new MessageState(ids[k], uids[k], 0, [], 0, default);
                break;
            case MessageDetail.Flags:
            {
                var page = await mailbox.GetFlagsAsync(folderId, uids);
                var at = Positions(uids);
                for (var n = 0; n < page.Uids.Length; n++)
                {
                    if (at.TryGetValue(page.Uids[n], out var k)) states[k] = new MessageState(ids[k], uids[k], 0, page.Flags[n], 0, default);
                }
                break;
            }
            default:
            {
                var slots = await mailbox.GetSlotsAsync(folderId, uids);
                var at = Positions(uids);
                foreach (var slot in slots)
                {
                    if (at.TryGetValue(slot.Uid, out var k)) states[k] = MessageState.FromSlot(slot);
                }
                break;
            }
        }
        return new MessageBatch(positions, states);
    }

    /// <summary>Writes "* n FETCH (UID u FLAGS (...) MODSEQ (m))" for a message whose flags the client must learn.</summary>
    public void WriteFlags(int index, MessageState state, bool includeUid)
    {
        AnnounceKeywords(state.Flags);
        var w = Writer().Raw(FetchHead(index, state.Uid)).Open();
        if (includeUid) w.Atom("UID").Number(state.Uid);
        w.Atom("FLAGS").Open();
        foreach (var flag in FlagsOf(state)) w.Atom(flag);
        w.Close();
        if (Condstore) w.Atom("MODSEQ").Open().Number(state.Modseq).Close();
        w.Close().Crlf();
    }

    /// <summary>Messages whose content locations a command looks up at once: one database read per chunk, bounded memory.</summary>
    public const int PrefetchChunk = 250;

    /// <summary>
    /// When <paramref name="position"/> starts a chunk of <see cref="PrefetchChunk"/> items, looks up where the content of
    /// that chunk's messages is (see <see cref="PrefetchContentsAsync"/>); a command walking <paramref name="items"/> calls it at every position.
    /// </summary>
    public Task PrefetchChunkAsync<T>(IReadOnlyList<T> items, int position, Func<T, MessageState> message)
    {
        if (position % PrefetchChunk != 0) return Task.CompletedTask;
        var count = Math.Min(PrefetchChunk, items.Count - position);
        return PrefetchContentsAsync(Enumerable.Range(position, count).Select(i => message(items[i])));
    }

    /// <summary>
    /// Looks up where the content of <paramref name="states"/> is, in one grain call per
    /// <see cref="IMailboxGrain.MaxContentBatch"/> messages, for the <see cref="LoadMessageAsync"/> calls of
    /// the current command (a FETCH of a range then costs one database read, not one per message).
    /// </summary>
    public async Task PrefetchContentsAsync(IEnumerable<MessageState> states)
    {
        _contents.Clear();
        foreach (var chunk in states.Select(s => s.MessageId).Chunk(IMailboxGrain.MaxContentBatch))
        {
            foreach (var content in await SelectedMailbox.GetContentsAsync(chunk)) _contents[content.MessageId] = content;
        }
    }

    /// <summary>The stored summaries of <paramref name="states"/> by message id, read <see cref="IMailboxGrain.MaxContentBatch"/> per grain call (SORT, THREAD).</summary>
    public async Task<Dictionary<long, MessageSummary>> SummariesAsync(IEnumerable<MessageState> states)
    {
        var summaries = new Dictionary<long, MessageSummary>();
        foreach (var chunk in states.Select(s => s.MessageId).Chunk(IMailboxGrain.MaxContentBatch))
        {
            foreach (var record in await SelectedMailbox.GetMessagesAsync(chunk)) summaries[record.MessageId] = record.Summary;
        }
        return summaries;
    }

    /// <summary>
    /// The message's octets, as much as <paramref name="need"/> says (the header cache serves
    /// <see cref="ContentNeed.CachedFields"/> without reading the blob), kept for the next items; null if it is gone.
    /// </summary>
    public async Task<LoadedMessage?> LoadMessageAsync(MessageState state, ContentNeed need, CancellationToken ct)
    {
        if (Cache.TryGet(state.MessageId, out var cached) && cached.Coverage >= need) return cached;
        if (!_contents.TryGetValue(state.MessageId, out var content))
        {
            var found = await SelectedMailbox.GetContentsAsync([state.MessageId]);
            if (found.Count == 0) return null;
            content = found[0];
        }
        byte[] bytes;
        var coverage = need;
        if (need == ContentNeed.CachedFields && content.CachedHeader is { } header)
        {
            bytes = header;
        }
        else
        {
            coverage = need == ContentNeed.Message ? ContentNeed.Message : ContentNeed.Header;
            await using var stream = await Blobs.OpenReadAsync(content.Blob.TenantId, new BlobRef(content.Blob.Name, content.Blob.Length), ct);
            bytes = coverage == ContentNeed.Header ? await ReadHeaderAsync(stream, ct) : await ReadAllAsync(stream, content.Blob.Length, ct);
        }
        var loaded = new LoadedMessage(bytes, MimeStructure.Parse(bytes), coverage);
        Cache.Put(state.MessageId, loaded);
        return loaded;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, long length, CancellationToken ct)
    {
        var bytes = new byte[length];
        await stream.ReadExactlyAsync(bytes, ct);
        return bytes;
    }

    /// <summary>Reads up to the blank line that ends the header (bounded), so ENVELOPE and header fetches do not pull attachments.</summary>
    private static async Task<byte[]> ReadHeaderAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (buffer.Length < HeaderReadLimit)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0) break;
            var start = (int)Math.Max(0, buffer.Length - 3);
            buffer.Write(chunk, 0, read);
            var span = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var end = span[start..].IndexOf("\r\n\r\n"u8);
            if (end >= 0) return span[..(start + end + 4)].ToArray();
            var lfEnd = span[start..].IndexOf("\n\n"u8);
            if (lfEnd >= 0) return span[..(start + lfEnd + 2)].ToArray();
        }
        return buffer.ToArray();
    }

    private void FlushVanished(List<long> vanished)
    {
        if (vanished.Count == 0) return;
        vanished.Sort();
        Untagged("VANISHED " + SequenceSet.Format(vanished));
        vanished.Clear();
    }
}
