using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;

namespace ConcurrencyKata.Specs;

/// <summary>A line the verifier sent to the program's stdin, and the program's answer to it, if any.</summary>
public sealed record Reply(TimedInputSent Input, OutputLine? Answer)
{
    /// <summary>From the moment the line was sent to the moment its answer arrived; null without an answer.</summary>
    public TimeSpan? Latency => Answer is null ? null : MonotonicClock.Between(Input.At, Answer.At);

    public bool AnsweredWithin(TimeSpan limit) => Latency is { } latency && latency <= limit;
}

/// <summary>
/// Programs driven through stdin (exercises with a command loop): which answer belongs to which
/// command, and how long it took. The exercise's output contract makes this unambiguous by giving
/// every answer its own first word, so the answer to a command is the first line matching the
/// answer's pattern printed after the command was sent.
/// </summary>
public static class Replies
{
    /// <summary>
    /// The answer to the first <paramref name="line"/> sent (or the one after <paramref name="skip"/>
    /// earlier ones); null when the line was never sent.
    /// </summary>
    public static Reply? To(RunRecord run, string line, Regex answer, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(answer);
        var sent = run.InputSent.Where(i => i.Line == line).Skip(skip).FirstOrDefault();
        if (sent is null)
        {
            return null;
        }
        return new Reply(sent, run.Stdout.FirstOrDefault(l => l.At >= sent.At && answer.IsMatch(l.Text)));
    }

    /// <summary>"sent at +1.23 s, answered "busy" at +1.24 s, 12 ms later", for messages.</summary>
    public static string Describe(RunRecord run, Reply reply)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reply);
        var sent =
            $"\"{reply.Input.Line}\" sent at {Runs.At(run, reply.Input.At)}"
            + (reply.Input.CueMissing ? " (without waiting any longer for the line it waits for)" : "");
        return reply.Answer is null
            ? $"{sent}, never answered"
            : $"{sent}, answered \"{reply.Answer.Text}\" at {Runs.At(run, reply.Answer.At)}, {Elapsed(reply.Latency!.Value)} later";
    }

    /// <summary>A latency for messages: "12 ms", or "1.62 s" from a second on.</summary>
    public static string Elapsed(TimeSpan span) =>
        span < TimeSpan.FromSeconds(1)
            ? span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"
            : Runs.Seconds(span);
}
