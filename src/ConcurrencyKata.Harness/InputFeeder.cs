using System.Text;
using System.Text.RegularExpressions;
using CliWrap;

namespace ConcurrencyKata.Harness;

/// <summary>
/// The program's stdin: closed at once when the request has no input; otherwise each line is written
/// at its offset from the program's start, or from the output line it waits for, then stdin is closed
/// (or kept open until the program ends).
/// </summary>
internal sealed class InputFeeder(RunRequest request, Task programEnded, LineCollector stdout)
{
    private readonly TaskCompletionSource<long> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TimedInputSent> _sent = [];
    private readonly Lock _gate = new();

    public PipeSource Source =>
        request.Input.Count == 0 && !request.KeepInputOpen ? PipeSource.Null : PipeSource.Create(FeedAsync);

    public IReadOnlyList<TimedInputSent> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public void Started(long at) => _started.TrySetResult(at);

    private async Task FeedAsync(Stream destination, CancellationToken cancellationToken)
    {
        var start = await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var inputs = request.Input.Any(i => i.AfterOutput is not null)
            ? request.Input
            : [.. request.Input.OrderBy(i => i.At)];
        var previous = start;
        foreach (var input in inputs)
        {
            var (due, cueMissing) = await WhenDue(input, start, previous, cancellationToken).ConfigureAwait(false);
            await MonotonicClock.DelayUntil(due, cancellationToken).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(input.Line + "\n");
            // Read before writing: a reply can only come after this moment.
            var at = MonotonicClock.Now;
            try
            {
                await destination.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return; // the program closed its stdin or exited
            }
            lock (_gate)
            {
                _sent.Add(new TimedInputSent(at, input.Line) { CueMissing = cueMissing });
            }
            previous = at;
        }
        if (request.KeepInputOpen)
        {
            await programEnded.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When the input is due: its offset after the program's start, or after the line it waits for
    /// arrived; when that line has not come <see cref="TimedInput.WaitAtMost"/> after the previous
    /// input was sent, at once.
    /// </summary>
    private async Task<(long Due, bool CueMissing)> WhenDue(
        TimedInput input,
        long start,
        long previous,
        CancellationToken cancellationToken
    )
    {
        if (input.AfterOutput is null)
        {
            return (MonotonicClock.After(start, input.At), false);
        }
        var cue = stdout.FirstMatch(new Regex(input.AfterOutput, RegexOptions.CultureInvariant));
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var giveUp = MonotonicClock.DelayUntil(MonotonicClock.After(previous, input.WaitAtMost), stopWaiting.Token);
        var first = await Task.WhenAny(cue, giveUp).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == cue
            ? (MonotonicClock.After(await cue.ConfigureAwait(false), input.At), false)
            : (MonotonicClock.Now, true);
    }
}
