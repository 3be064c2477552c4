using System.Text;
using CliWrap;

namespace ConcurrencyKata.Harness;

/// <summary>
/// The program's stdin: closed at once when the request has no input; otherwise each line is written
/// at its offset from the program's start, then stdin is closed (or kept open until the program ends).
/// </summary>
internal sealed class InputFeeder(RunRequest request, Task programEnded)
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
        foreach (var input in request.Input.OrderBy(i => i.At))
        {
            await MonotonicClock
                .DelayUntil(MonotonicClock.After(start, input.At), cancellationToken)
                .ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(input.Line + "\n");
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
                _sent.Add(new TimedInputSent(MonotonicClock.Now, input.Line));
            }
        }
        if (request.KeepInputOpen)
        {
            await programEnded.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
