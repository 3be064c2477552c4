using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;
using ConcurrencyKata.Harness.Work;

namespace ConcurrencyKata.Specs.PingPong;

/// <summary>
/// Runs part A (<c>separate N</c>) and part B (<c>pipes N</c>) once each, side by side, and judges
/// both. Part B holds every turn for a random time the verifier chooses (one turn is much slower
/// than the others), so a game that keeps in step only by luck of timing falls out of step.
/// </summary>
[Exercise("ping-pong")]
public sealed partial class PingPongSpecs
{
    private const int SeparateLimitSeconds = 10;

    private Part _separate = null!;
    private Part _pipes = null!;
    private IReadOnlyList<int> _turnMs = [];

    [OneTimeSetUp]
    public async Task RunBothParts()
    {
        var separateN = Learner.Random.Next(6, 15);
        var pipesN = Learner.Random.Next(6, 15);
        // Longer than PromptStop, and neither one of the first two turns nor of the last two: a
        // player that ends once no turn came for a while ends during it, with turns still to come,
        // or, waiting longer than it, ends later than PromptStop after the game; no timer passes both.
        var slowTurn = Learner.Random.Next(3, pipesN - 1);
        _turnMs =
        [
            .. Enumerable
                .Range(1, pipesN)
                .Select(turn => turn == slowTurn ? Learner.Milliseconds(1_700, 1_800) : Learner.Milliseconds(50, 150)),
        ];
        var delays = _turnMs.Select((ms, i) => KeyValuePair.Create("turn-" + Text(i + 1), ms));

        var separate = Learner.Request("separate", Text(separateN)) with
        {
            TimeLimit = TimeSpan.FromSeconds(SeparateLimitSeconds),
        };
        var pipes = Learner.Request("pipes", Text(pipesN)) with
        {
            Work = new WorkPlan().WithDurations(delays),
            TimeLimit = TimeSpan.FromMilliseconds(_turnMs.Sum() + 5_000),
        };
        var runs = await Task.WhenAll(Learner.RunAsync(separate), Learner.RunAsync(pipes));
        _separate = new Part("part A (separate " + Text(separateN) + ")", separateN, runs[0]);
        _pipes = new Part("part B (pipes " + Text(pipesN) + ")", pipesN, runs[1]);
    }

    [Test]
    public void Separate_each_child_counts_to_n_on_its_own()
    {
        var part = _separate;
        Runs.Finished(part.Run);
        RequireFormat(part);
        var pings = part.Lines.Where(l => l.Word == "Ping").Select(l => l.Number).ToList();
        var pongs = part.Lines.Where(l => l.Word == "Pong").Select(l => l.Number).ToList();
        var expected = Enumerable.Range(1, part.N).Select(i => (int?)i).ToList();
        var lookAt =
            part.Lines.Count > 0 && part.Lines.Count <= part.N + 1
                ? "your two counters shared one counter. That is what threads of one process do; two processes each get their own copy of the static counter. Start the counters as processes with Kata.WorkerStartInfo"
                : "each counter worker loops while Shared.Counter < N, adds one and prints its line; the main program starts two of them (one Ping, one Pong) and waits for both";
        Explain.That(
            pings.SequenceEqual(expected) && pongs.SequenceEqual(expected),
            $"{2 * part.N} lines in {part.Name}: Ping 1 to {part.N} from one child and Pong 1 to {part.N} from the other, because each child has its own counter",
            () =>
                $"{part.Lines.Count} lines: Ping numbered {Numbers(pings)}; Pong numbered {Numbers(pongs)}. {Runs.Transcript(part.Run, 2 * part.N + 2)}",
            lookAt
        );
    }

    [Test]
    public void Separate_lines_come_from_two_child_processes() => RequireTwoChildren(_separate);

    [Test]
    public void Pipes_prints_exactly_n_lines()
    {
        var part = _pipes;
        RequireNoFlood(part);
        RequireFormat(part);
        var lookAt =
            part.Lines.Count == 2 * part.N
                ? "each player seems to count on its own, as in part A: a player may print only when the main program has handed it a turn over its pipe"
            : part.Lines.Count < part.N
                ? "the game must go on until turn N: hand out every turn from 1 to N, and read each player's answer before handing out the next"
            : "stop handing out turns after turn N, and let the players print only the turns they were given";
        Explain.That(
            part.Lines.Count == part.N,
            $"exactly {part.N} Ping/Pong lines in {part.Name}",
            () => $"{part.Lines.Count} lines. {Runs.Transcript(part.Run, 2 * part.N + 2)}",
            lookAt
        );
    }

    [Test]
    public void Pipes_alternates_ping_and_pong_numbered_1_to_n()
    {
        var part = _pipes;
        RequireNoFlood(part);
        RequireFormat(part);
        Explain.That(
            part.Lines.Count > 0,
            $"the lines Ping 1, Pong 2, Ping 3, ... up to {Expected(part.N)} in {part.Name}",
            () => "no Ping or Pong line. " + Runs.Transcript(part.Run, includeErrors: true),
            "each player prints \"<Ping|Pong> <turn> pid=<its pid>\" when it has the turn"
        );
        for (var i = 0; i < part.Lines.Count; i++)
        {
            var line = part.Lines[i];
            var turn = i + 1;
            Explain.That(
                turn <= part.N && line.Word == WordOf(turn) && line.Number == turn,
                $"line {turn} of the game is \"{Expected(turn)} pid=...\" (odd turns Ping, even turns Pong, numbered 1 to {part.N})",
                () => $"line {turn} is \"{line.Text}\". {Runs.Transcript(part.Run, 2 * part.N + 2)}",
                turn > part.N
                    ? $"the game ends after turn {part.N}"
                    : "only the player that has the turn may print, and it prints the turn number it received; the turn goes Ping, Pong, Ping, ... through the pipes, one player at a time"
            );
        }
    }

    [Test]
    public void Pipes_lines_come_from_two_child_processes() => RequireTwoChildren(_pipes);

    [Test]
    public void Pipes_takes_turns_in_order_even_when_one_is_slow()
    {
        var part = _pipes;
        var starts = part.Run.Events.Where(e => e.Event == "turn-start").ToList();
        var ends = part.Run.Events.Where(e => e.Event == "turn-end").ToList();
        var slowest = _turnMs.Select((ms, i) => (ms, turn: i + 1)).MaxBy(t => t.ms);
        var expected =
            $"turns 1 to {part.N} each taken once with Kata.TakeTurn, one after another: turn k+1 starts only after turn k is over, however long a turn lasts (this run, turn {slowest.turn} lasted {slowest.ms} ms)";
        SupportEvent? previousEnd = null;
        for (var turn = 1; turn <= part.N; turn++)
        {
            var name = Text(turn);
            var taken = starts.Where(e => e.Name == name).ToList();
            var ended = ends.Where(e => e.Name == name).ToList();
            Explain.That(
                taken.Count > 0 && ended.Count > 0,
                expected,
                () =>
                    $"no record of turn {turn} being {(taken.Count == 0 ? "taken" : "finished")}. Turns recorded: {Numbers(starts.Select(e => Number(e.Name)))}",
                "the player that receives a turn calls Kata.TakeTurn(turn) first, then prints its line, then passes the turn on"
            );
            Explain.That(
                taken.Count == 1,
                expected,
                () =>
                    $"turn {turn} was taken {taken.Count} times, by pids {string.Join(", ", taken.Select(e => e.Pid))}",
                "a turn belongs to one player: only the player that received it over the pipe calls Kata.TakeTurn for it"
            );
            var start = taken[0];
            var end = ended[0];
            Explain.That(
                previousEnd is null || start.At >= previousEnd.At,
                expected,
                () =>
                    $"turn {turn} started at {Runs.At(part.Run, start.At)}, before turn {turn - 1} was over at {Runs.At(part.Run, previousEnd!.At)}",
                "pass the turn on only after Kata.TakeTurn has returned and the line is printed, and let a player wait for its turn by reading its pipe, not by sleeping a fixed time"
            );
            previousEnd = end;
        }
        var extra = starts.Select(e => Number(e.Name)).Where(n => n is null or < 1 || n > part.N).ToList();
        Explain.That(
            extra.Count == 0,
            expected,
            () => $"turns beyond the game were taken as well: {Numbers(extra)}",
            $"the game ends after turn {part.N}"
        );
    }

    [Test]
    public void Pipes_each_turn_is_taken_by_the_player_that_prints_it()
    {
        var part = _pipes;
        Runs.Finished(part.Run);
        RequireFormat(part);
        var starts = part.Run.Events.Where(e => e.Event == "turn-start").ToList();
        if (!part.Lines.Any(l => l.Number is not null))
        {
            Explain.NotJudged($"no Ping/Pong line in {part.Name} (see \"Pipes prints exactly n lines\")");
        }
        foreach (var line in part.Lines.Where(l => l.Number is not null))
        {
            var taken = starts.Where(e => e.Name == Text(line.Number!.Value)).Select(e => e.Pid).Distinct().ToList();
            Explain.That(
                taken.Count == 1 && taken[0] == line.Pid,
                $"\"{line.Text}\" printed by the process that took turn {line.Number} (pid {line.Pid})",
                () =>
                    taken.Count == 0
                        ? $"nobody took turn {line.Number} with Kata.TakeTurn"
                        : $"turn {line.Number} was taken by pid {string.Join(", ", taken)}",
                "each player calls Kata.TakeTurn for the turn it received and prints its own line with its own Environment.ProcessId; the main program only starts the players, passes nothing but pipes, and waits"
            );
        }
    }

    [Test]
    public void Pipes_players_stop_on_their_own_and_the_parent_waits_for_them()
    {
        var part = _pipes;
        Runs.Finished(part.Run);
        RequireFormat(part);
        Runs.NeedsObservation(part.Run);
        var exited = part.Run.Root?.ExitSeen ?? part.Run.ExitedAt;
        var players = part
            .Lines.Select(l => l.Pid)
            .Distinct()
            .Select(pid => part.Run.Processes.FirstOrDefault(p => p.Pid == pid))
            .OfType<ObservedProcess>()
            .Where(p => p.Pid != part.Run.RootPid)
            .ToList();
        if (players.Count == 0)
        {
            Explain.NotJudged(
                $"no player printed a line in {part.Name} (see \"Pipes lines come from two child processes\")"
            );
        }
        var late = players.Where(p => p.ExitSeen is null || p.ExitSeen > exited + (50 * 1_000_000L)).ToList();
        Explain.That(
            late.Count == 0,
            $"in {part.Name}, both players exit before your main program does",
            () =>
                $"your program exited at {Runs.At(part.Run, exited)} while these players were still running: {string.Join("; ", late.Select(p => p.Describe()))}",
            "after sending the stop message, wait for each player with WaitForExit() before Main ends"
        );
        if (players.Any(p => !p.ExitKnown))
        {
            Explain.Skip(
                "how the players ended is known only from the kernel's exit reports, which this system did not give"
            );
        }
        var killed = players.Where(p => p.KilledBySignal is not null || p.ExitCode != 0).ToList();
        Explain.That(
            killed.Count == 0,
            $"in {part.Name}, both players end by themselves with exit code 0, once they received the stop message",
            () =>
                string.Join(
                    "; ",
                    killed.Select(p =>
                        p.KilledBySignal is { } signal
                            ? $"{p.Describe()} was killed by signal {signal}{(signal == 9 ? " (SIGKILL: Process.Kill)" : "")}"
                            : $"{p.Describe()} exited with code {p.ExitCode}"
                    )
                ),
            "tell each player to stop (a \"stop\" line, or close its pipe) and let it return from Main; Process.Kill ends it from outside, which is not stopping it"
        );
        // The stop message, not a timer: a player that ends on its own clock ends long after the game.
        var lastLine = part.Lines.Count > 0 ? part.Lines.Max(l => l.At) : part.Run.StartedAt;
        var slow = players.Where(p => p.ExitSeen > MonotonicClock.After(lastLine, PromptStop)).ToList();
        Explain.That(
            slow.Count == 0,
            $"in {part.Name}, both players end within {Runs.Seconds(PromptStop)} of the last line ({Runs.At(part.Run, lastLine)}): they stop when they are told to",
            () =>
                string.Join("; ", slow.Select(p => $"{p.Describe()} ended at {Runs.At(part.Run, p.ExitSeen!.Value)}")),
            "end each player when it reads the stop message (or end of stream), not after a timer or a fixed time"
        );
    }

    /// <summary>How long after the last line both players must have ended (the verifier holds each exit 0.3 s).</summary>
    private static readonly TimeSpan PromptStop = TimeSpan.FromSeconds(1.5);

    [Test]
    public void Pipes_stops_both_players_after_the_last_line()
    {
        RequireNoFlood(_pipes);
        RequireFinished(_pipes);
    }

    [Test]
    public void Pipes_waits_for_the_players_without_burning_cpu()
    {
        var part = _pipes;
        Runs.NeedsObservation(part.Run);
        var root = part.Run.Root;
        if (root is null || !root.Threads.Any(t => t.RunnableSamples.Count > 0))
        {
            Explain.Skip("this system does not show how long each thread of your main process was busy");
        }
        // While the game is on (or, without turns, while the program runs). Runnable time rather than
        // CPU time: a busy loop is runnable all along even when a loaded machine gives it little CPU.
        var turns = part.Run.Events.Where(e => e.Event is "turn-start" or "turn-end").ToList();
        var (from, to, during) =
            turns.Count > 0
                ? (turns.Min(e => e.At), turns.Max(e => e.At), "while the players played")
                : (root.FirstSeen, root.LastSeen, "while it ran");
        var window = MonotonicClock.Between(from, to);
        var allowed = TimeSpan.FromMilliseconds(200) + window / 4;
        var busiest = Threads.BusiestBetween(root, from, to)!.Value;
        Explain.That(
            busiest.Runnable <= allowed,
            $"your main process asleep {during} ({Runs.Seconds(window)}): none of its threads running, or waiting for a CPU, for more than {Runs.Seconds(allowed)} of that time",
            $"its thread {busiest.Thread.Tid} ({busiest.Thread.Name}) was running or waiting for a CPU during {Runs.Seconds(busiest.Runnable)} of those {Runs.Seconds(window)} (your main process used {Runs.Seconds(root.CpuTime)} of CPU time in all): it kept checking instead of waiting",
            "a loop that checks HasExited (or anything else) again and again burns a whole core. Block instead: WaitForExit(), or a read on a pipe, which returns when there is something to read"
        );
    }

    [Test]
    public void Exits_with_code_zero()
    {
        foreach (var part in new[] { _separate, _pipes })
        {
            RequireNoFlood(part);
            if (ReferenceEquals(part, _pipes) && part.Run.TimedOut)
            {
                Explain.NotJudged(
                    $"{part.Name} was stopped at the time limit (see \"Pipes stops both players after the last line\")"
                );
            }
            RequireFinished(part);
            Explain.That(
                part.Run.ExitCode == 0,
                $"exit code 0 from {part.Name}",
                () => $"exit code {part.Run.ExitCode}. {Runs.Transcript(part.Run, includeErrors: true)}",
                "an exception (the message is on stderr above) or an explicit non-zero return from Main"
            );
        }
    }

    [Test]
    public void Event_log_matches_what_the_system_saw()
    {
        Runs.EventLogMatchesTheSystem(_separate.Run, _pipes.Run);
    }

    [Test]
    public void Leaves_no_process_running()
    {
        foreach (var part in new[] { _separate, _pipes })
        {
            RequireNoFlood(part);
            Runs.Finished(part.Run);
            Runs.LeftNoOrphans(part.Run);
        }
    }

    /// <summary>A flood or a fork storm stopped the run: say so before anything else.</summary>
    private static void RequireNoFlood(Part part)
    {
        if (part.Run.OutputFlooded || part.Run.ProcessLimitExceeded)
        {
            Runs.Finished(part.Run);
        }
    }

    private void RequireFinished(Part part)
    {
        if (!part.Run.TimedOut)
        {
            return;
        }
        if (!ReferenceEquals(part, _pipes))
        {
            Runs.Finished(part.Run);
        }
        var limit = Runs.Seconds(part.Run.Request.TimeLimit);
        var alive = part.Run.Processes.Where(p => p.ExitSeen is null).Select(p => p.Describe()).ToList();
        var stillRunning = alive.Count > 0 ? " Still running at that moment: " + string.Join("; ", alive) + "." : "";
        Explain.Fail(
            $"{part.Name} ends once line {part.N} is printed: both players stop, and the main program waits for them and exits (time limit {limit})",
            $"it was still running after {limit} and was stopped, having printed {part.Lines.Count} of {part.N} lines.{stillRunning} {Runs.Transcript(part.Run, 2 * part.N + 2)}",
            "the stop message: when the game is over, tell each player to stop (send it a \"stop\" line, or close its pipe so that its read returns end of stream). A player blocked reading its pipe waits forever otherwise, and so does WaitForExit"
        );
    }

    private static void RequireFormat(Part part)
    {
        var bad = part.Lines.FirstOrDefault(l => l.Word is null);
        Explain.That(
            bad is null,
            $"every Ping/Pong line of {part.Name} in the format \"Ping 3 pid=4242\": the word, the number, and pid= with the id of the process that prints it",
            () => $"the line \"{bad!.Text}\"",
            "the Console.WriteLine of the worker; the format is in the README"
        );
    }

    private static void RequireTwoChildren(Part part)
    {
        var run = part.Run;
        RequireNoFlood(part);
        RequireFormat(part);
        Runs.NeedsObservation(run);
        var expected =
            $"the Ping lines of {part.Name} printed with the pid of one child process and the Pong lines with the pid of another, both started by your main process (pid {run.RootPid})";
        foreach (var word in new[] { "Ping", "Pong" })
        {
            var pids = part.Lines.Where(l => l.Word == word).Select(l => l.Pid!.Value).Distinct().ToList();
            Explain.That(
                pids.Count == 1,
                expected,
                () =>
                    pids.Count == 0
                        ? $"no {word} line. {Runs.Transcript(run, includeErrors: true)}"
                        : $"{word} lines with {pids.Count} different pids: {string.Join(", ", pids)}",
                $"one worker process prints all the {word} lines, each with its own Environment.ProcessId"
            );
            var pid = pids[0];
            var process = run.Processes.FirstOrDefault(p => p.Pid == pid);
            Explain.That(
                pid != run.RootPid,
                expected,
                $"the {word} lines carry pid {pid}, which is your main process itself, not a child",
                "each line must carry the pid of the worker process that played it: the worker writes the line with its own Environment.ProcessId (the main process may pass that line on unchanged, but must not write its own pid). Workers started as threads share the main process's pid, and its memory: start them as processes with Process.Start(Kata.WorkerStartInfo(...))"
            );
            Explain.That(
                process is not null && process.ParentPid == run.RootPid,
                expected,
                () =>
                    process is null
                        ? $"the {word} lines carry pid {pid}, but no such process was seen in your program's process tree"
                        : $"the {word} lines carry pid {pid}, whose parent is pid {process.ParentPid}, not your main process",
                "print the pid of the process that prints the line (Environment.ProcessId in the worker), and start both workers directly from the main process with Process.Start(Kata.WorkerStartInfo(...)), not through a shell"
            );
        }
        var ping = part.Lines.First(l => l.Word == "Ping").Pid;
        var pong = part.Lines.First(l => l.Word == "Pong").Pid;
        Explain.That(
            ping != pong,
            expected,
            $"Ping and Pong lines both carry pid {ping}",
            "start two workers, one for Ping and one for Pong"
        );
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string WordOf(int turn) => turn % 2 == 1 ? "Ping" : "Pong";

    private static string Expected(int turn) => WordOf(turn) + " " + Text(turn);

    private static int? Number(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static string Numbers(IEnumerable<int?> numbers)
    {
        var list = numbers.Select(n => n is { } value ? Text(value) : "?").ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }

    private static string Numbers(IEnumerable<int> numbers) => Numbers(numbers.Select(n => (int?)n));

    /// <summary>One part's run and its Ping/Pong lines (lines whose first word is Ping or Pong, in any case).</summary>
    private sealed record Part(string Name, int N, RunRecord Run)
    {
        public IReadOnlyList<GameLine> Lines { get; } = [.. Run.Stdout.Select(GameLine.Parse).OfType<GameLine>()];
    }

    /// <summary>A Ping/Pong line; Word, Number and Pid are null when it is not in the documented format.</summary>
    private sealed partial record GameLine(string Text, string? Word, int? Number, int? Pid, long At)
    {
        public static GameLine? Parse(OutputLine line)
        {
            var text = line.Text.Trim();
            if (!StartPattern().IsMatch(text))
            {
                return null;
            }
            var match = FormatPattern().Match(text);
            return match.Success
                ? new GameLine(
                    text,
                    match.Groups[1].Value,
                    int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
                    int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
                    line.At
                )
                : new GameLine(text, null, null, null, line.At);
        }

        [GeneratedRegex(@"^(?i:ping|pong)\b")]
        private static partial Regex StartPattern();

        [GeneratedRegex(@"^(Ping|Pong) ([0-9]{1,9}) pid=([0-9]{1,9})$")]
        private static partial Regex FormatPattern();
    }
}
