using System.Text;
using System.Text.RegularExpressions;
using CliWrap;

namespace ConcurrencyKata.Harness;

/// <summary>
/// A CliWrap pipe target that splits a stream into lines, stamps each with the monotonic clock as it
/// arrives, and keeps at most a fixed number of bytes. Past the cap it calls <c>onFlood</c> once and
/// drops the rest, so a flood never grows memory. Input that waits for a line asks it when that line
/// arrived (<see cref="FirstMatch"/>).
/// </summary>
internal sealed class LineCollector(int limitBytes, Action onFlood) : PipeTarget
{
    private readonly List<OutputLine> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<long> Seen)> _waiting = [];
    private readonly Lock _gate = new();
    private long _bytes;
    private bool _flooded;

    public IReadOnlyList<OutputLine> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public bool Flooded => Volatile.Read(ref _flooded);

    /// <summary>When the first line matching <paramref name="pattern"/> arrived: at once for a line already kept, otherwise when it comes (never, if it does not).</summary>
    public Task<long> FirstMatch(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        lock (_gate)
        {
            if (_lines.FirstOrDefault(l => pattern.IsMatch(l.Text)) is { } line)
            {
                return Task.FromResult(line.At);
            }
            var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((pattern, seen));
            return seen.Task;
        }
    }

    public override async Task CopyFromAsync(Stream origin, CancellationToken cancellationToken = default)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var pending = new StringBuilder();
        int read;
        while ((read = await origin.ReadAsync(bytes, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var at = MonotonicClock.Now;
            if (_flooded)
            {
                continue;
            }
            _bytes += read;
            if (_bytes > limitBytes)
            {
                Volatile.Write(ref _flooded, true);
                onFlood();
                continue;
            }
            var count = decoder.GetChars(bytes, 0, read, chars, 0);
            for (var i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    Add(at, pending);
                }
                else
                {
                    pending.Append(chars[i]);
                }
            }
        }
        if (pending.Length > 0 && !_flooded)
        {
            Add(MonotonicClock.Now, pending);
        }
    }

    private void Add(long at, StringBuilder pending)
    {
        var text = pending.ToString().TrimEnd('\r');
        pending.Clear();
        lock (_gate)
        {
            _lines.Add(new OutputLine(at, text));
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (_waiting[i].Pattern.IsMatch(text))
                {
                    _waiting[i].Seen.TrySetResult(at);
                    _waiting.RemoveAt(i);
                }
            }
        }
    }
}
