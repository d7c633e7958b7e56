using System.Buffers;

namespace Mail.Protocol.Tests.Smtp;

/// <summary>Builds <see cref="ReadOnlySequence{T}"/> values split into chosen segments, as a socket pipe delivers them.</summary>
public static class ByteSequences
{
    /// <summary>A sequence whose segments are <paramref name="parts"/>, in order (empty parts are kept as empty segments).</summary>
    public static ReadOnlySequence<byte> Of(params byte[][] parts)
    {
        if (parts.Length == 0) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1)) last = last.Append(part);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>A sequence of <paramref name="data"/> cut at the given offsets.</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var parts = new List<byte[]>();
        var start = 0;
        foreach (var cut in cuts.Order())
        {
            parts.Add(data[start..cut]);
            start = cut;
        }
        parts.Add(data[start..]);
        return Of([.. parts]);
    }

    /// <summary>Random cut points (between 0 and <paramref name="count"/> of them) inside a buffer of <paramref name="length"/> bytes.</summary>
    public static int[] RandomCuts(Random random, int length, int count) =>
        Enumerable.Range(0, count).Select(_ => random.Next(0, length + 1)).Distinct().Order().ToArray();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
