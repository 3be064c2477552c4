using System.Globalization;
using System.Text.RegularExpressions;
using ConcurrencyKata.Harness;
using ConcurrencyKata.Harness.Work;

namespace ConcurrencyKata.Specs.BankAccount;

/// <summary>
/// Runs the program four times side by side: <c>safe</c> twice, <c>unsafe</c> once, and <c>safe</c>
/// once more with the support library's one-time failure switched on. Every run gets its own random
/// number of threads and amount. The critical work lasts long enough (30–60 ms) that two threads
/// inside it at once always overwrite each other's deposit, so a missing or useless lock shows on
/// every run, not only on unlucky ones.
/// </summary>
[Exercise("bank-account")]
public sealed partial class BankAccountSpecs
{
    private const int SafeCriticalMs = 30;
    private const int UnsafeCriticalMs = 60;

    private Deposits[] _safe = [];
    private Deposits _unsafe = null!;
    private Deposits _failing = null!;
    private int _failingCall;

    [OneTimeSetUp]
    public async Task RunAllModes()
    {
        _failingCall = 0;
        var plans = new[]
        {
            Plan("safe", SafeCriticalMs),
            Plan("safe", SafeCriticalMs),
            Plan("unsafe", UnsafeCriticalMs),
            Plan("safe", SafeCriticalMs),
        };
        // Never the last call: a lock leaked by the last deposit holds up nobody.
        _failingCall = Learner.Random.Next(1, plans[3].Threads);
        var requests = plans.Select(p => p.Request).ToArray();
        requests[3] = requests[3] with
        {
            Work = requests[3].Work with { FailOnceCall = _failingCall },
            // A few seconds beyond the expected run time: a leaked lock costs no more than that.
            TimeLimit = TimeSpan.FromMilliseconds(((plans[3].Threads + 1) * SafeCriticalMs * 3 / 2) + 3_000),
        };
        var runs = await Task.WhenAll(requests.Select(Learner.RunAsync));
        var done = plans.Select((p, i) => p with { Run = runs[i] }).ToArray();
        _safe = [done[0], done[1]];
        _unsafe = done[2];
        _failing = done[3];
    }

    private static Deposits Plan(string mode, int criticalMs)
    {
        var threads = Learner.Random.Next(20, 61);
        var amount = Learner.Random.Next(1, 1000);
        var request = Learner.Request(mode, Text(threads), Text(amount)) with
        {
            Work = new WorkPlan { CriticalMs = criticalMs },
            TimeLimit = TimeSpan.FromMilliseconds((threads * criticalMs * 2) + 5_000),
        };
        return new Deposits(mode, threads, amount, request, null!);
    }

    [Test]
    public void Safe_mode_ends_with_the_exact_balance()
    {
        foreach (var part in _safe)
        {
            Runs.Finished(part.Run);
            var balance = RequireBalance(part);
            Explain.That(
                balance == part.Expected,
                $"\"balance {part.Expected}\" from {part.Name}: {part.Threads} deposits of {part.Amount}",
                () => $"\"balance {balance}\" ({Describe(balance, part)}). {Runs.Transcript(part.Run)}",
                BalanceLookAt(part, balance, "each thread deposits the amount once")
            );
        }
    }

    [Test]
    public void Deposits_run_in_many_threads_at_once()
    {
        foreach (var part in _safe)
        {
            Runs.Finished(part.Run);
            Runs.NeedsObservation(part.Run);
            var root = part.Run.Root;
            if (root is null || root.Threads.Count == 0)
            {
                Explain.Skip("this system does not show the threads of your program");
            }
            var spans = CriticalSections.Spans(part.Run).Where(s => s.Pid == part.Run.RootPid).ToList();
            var depositors = spans.Select(s => s.Tid).ToHashSet();
            var alive = CriticalSections.MostAliveAtOnce(spans, root.Threads);
            // A quarter: far above the one or two of a program that runs its deposits one after another,
            // and reached even when starting threads is slow on a busy machine and unlocked deposits end early.
            var needed = (part.Threads + 3) / 4;
            Explain.That(
                alive >= needed,
                $"in {part.Name}, {part.Threads} threads that deposit, started together: at least {needed} of them alive at the same moment (the ones waiting for the lock included)",
                () =>
                    $"{depositors.Count} different thread(s) made deposits, and at most {alive} of them were alive at the same time",
                depositors.Count <= 1
                    ? "start one new Thread per deposit (the number of threads is the second argument) instead of making every deposit in one thread"
                    : "start all the threads first, then Join them all; starting one and joining it before starting the next runs them one after another"
            );
        }
    }

    [Test]
    public void Safe_mode_lets_one_thread_at_a_time_into_the_critical_work()
    {
        foreach (var part in _safe)
        {
            Runs.Finished(part.Run);
            var spans = CriticalSections.Spans(part.Run);
            Explain.That(
                spans.Count > 0,
                $"deposits in {part.Name} that call Kata.CriticalWork between reading and writing the balance",
                "no call of Kata.CriticalWork",
                "the deposit reads the balance, calls Kata.CriticalWork(\"deposit\"), then writes the balance plus the amount"
            );
            var overlap = CriticalSections.FirstOverlap(spans);
            Explain.That(
                overlap is null,
                $"in {part.Name}, never two threads inside Kata.CriticalWork at the same time",
                () =>
                    $"thread {overlap!.Value.Second.Tid} entered at {Runs.At(part.Run, overlap.Value.Second.Start)} while thread {overlap.Value.First.Tid} was still inside (since {Runs.At(part.Run, overlap.Value.First.Start)}); up to {CriticalSections.MostAtOnce(spans)} threads were inside at once",
                "take the lock before reading the balance and release it after writing it, and let every thread lock the same object (a field of the account, created once; not new object() in the deposit, not one per thread)"
            );
        }
    }

    [Test]
    public void Prints_the_balance_after_the_last_deposit()
    {
        foreach (var part in _safe.Append(_unsafe))
        {
            Runs.Finished(part.Run);
            var line = RequireBalanceLine(part);
            var lastEnd = part
                .Run.Events.Where(e => e.Event is "critical-end" or "critical-fail")
                .Select(e => e.At)
                .DefaultIfEmpty(0)
                .Max();
            var later = part.Run.Events.Count(e => e.Event == "critical-end" && e.At > line.At);
            Explain.That(
                lastEnd <= line.At,
                $"in {part.Name}, the balance printed once every deposit is over",
                () =>
                    $"\"{line.Text}\" at {Runs.At(part.Run, line.At)}, but {later} deposit(s) finished after that, the last at {Runs.At(part.Run, lastEnd)}",
                "wait for the threads with Join (each one, after starting them all); a Thread.Sleep guesses how long the deposits take, and the guess is wrong as soon as they take longer"
            );
        }
    }

    [Test]
    public void Unsafe_mode_loses_updates()
    {
        var part = _unsafe;
        Runs.Finished(part.Run);
        var balance = RequireBalance(part);
        Explain.That(
            balance > 0,
            $"in {part.Name}, a balance above 0: the deposits reach the shared account",
            () => $"\"balance {balance}\". {Runs.Transcript(part.Run)}",
            "every thread deposits into the one shared account, and the main program prints the balance of that same account"
        );
        Explain.That(
            balance < part.Expected,
            $"in {part.Name}, a balance below {part.Expected}: without a lock, threads that read the balance at the same time overwrite each other's deposit",
            () => $"\"balance {balance}\": not a single deposit was lost",
            "mode unsafe starts all the threads at once and deposits without any lock (read, Kata.CriticalWork, write), so that you see the lost updates; making the deposits one after another, in one thread or one thread at a time, hides the race"
        );
    }

    [Test]
    public void Safe_mode_survives_a_failed_deposit_and_releases_the_lock()
    {
        var part = _failing;
        var failure = part.Run.Events.FirstOrDefault(e => e.Event == "critical-fail");
        if (part.Run.TimedOut && failure is not null)
        {
            var done = part.Run.Events.Count(e => e.Event == "critical-end");
            var after = part.Run.Events.Where(e => e.Event == "critical-start" && e.At > failure.At).ToList();
            Explain.Fail(
                $"in {part.Name}, with call {_failingCall} of Kata.CriticalWork failing once: the failed deposit made again, the lock released, and the program finished within {Runs.Seconds(part.Run.Request.TimeLimit)}",
                $"the deposit in thread {failure.Tid} failed at {Runs.At(part.Run, failure.At)}; after that, {Entered(after, failure.Tid)} entered the critical work, {done} of {part.Threads} deposits were made, and the program was still waiting after {Runs.Seconds(part.Run.Request.TimeLimit)} and was stopped. The lock taken before the failure was never released, so every other thread waits for it forever",
                "release the lock in a finally block (Monitor.Enter ... try { ... } finally { Monitor.Exit(...) }), or use lock (...) { }, which does that for you. An exception between Enter and Exit skips an Exit that is not in a finally"
            );
        }
        Runs.Finished(part.Run);
        Explain.That(
            part.Run.ExitCode == 0,
            $"in {part.Name}, with call {_failingCall} of Kata.CriticalWork failing once: exit code 0",
            () => $"exit code {part.Run.ExitCode}. {Runs.Transcript(part.Run, includeErrors: true)}",
            "catch SimulatedFailureException in the thread that deposits (around the deposit) and make that deposit again; an exception nobody catches in a thread ends the whole program"
        );
        var balance = RequireBalance(part);
        Explain.That(
            balance == part.Expected,
            $"\"balance {part.Expected}\" from {part.Name}, with call {_failingCall} of Kata.CriticalWork failing once: the failed deposit wrote nothing, and is made again",
            () => $"\"balance {balance}\" ({Describe(balance, part)}). {Runs.Transcript(part.Run)}",
            BalanceLookAt(
                part,
                balance,
                "catch SimulatedFailureException around the deposit and make the same deposit again, once for each failure"
            )
        );
        var failed = part.Run.Events.FirstOrDefault(e => e.Event == "critical-fail");
        if (failed is null || failed.Tid == 0)
        {
            return;
        }
        var redone = part.Run.Events.Any(e => e.Event == "critical-end" && e.Tid == failed.Tid && e.At > failed.At);
        Explain.That(
            redone,
            $"in {part.Name}, the deposit that failed made again by the thread it failed in (thread {Text(failed.Tid)})",
            () =>
                $"thread {Text(failed.Tid)} made no deposit after its failure at {Runs.At(part.Run, failed.At)}; the deposits after it came from {Entered([.. part.Run.Events.Where(e => e.Event == "critical-start" && e.At > failed.At)], failed.Tid)}",
            "catch SimulatedFailureException inside the thread's own deposit loop and try again there; the thread that failed owns its deposit, Main should not make it for it"
        );
    }

    [Test]
    public void Unsafe_mode_deposits_in_threads_of_its_own()
    {
        var part = _unsafe;
        Runs.Finished(part.Run);
        if (part.Run.ThreadAttestationGap is { } gap)
        {
            Explain.Skip("which thread made a deposit cannot be confirmed here: " + gap);
        }
        var starts = part.Run.Events.Where(e => e.Event == "critical-start" && e.Pid == part.Run.RootPid).ToList();
        var own = starts
            .Where(e => e.Tid != 0 && !e.InTask && e.Tid != part.Run.RootPid)
            .Select(e => e.Tid)
            .Distinct()
            .Count();
        var inTasks = starts.Count(e => e.InTask);
        Explain.That(
            own == part.Threads && starts.Count == part.Threads,
            $"in {part.Name}, {part.Threads} deposits, each in a thread your program started for it (new Thread)",
            () =>
                starts.Count == 0 ? "no deposit at all: Kata.CriticalWork was never called"
                : inTasks > 0
                    ? $"{Text(starts.Count)} deposits, {Text(inTasks)} of them inside tasks (Parallel.For, Task.Run): threads of the runtime's pool, not yours"
                : $"{Text(starts.Count)} deposits by {Text(own)} threads of your own",
            "mode unsafe is the same program without the lock: start one new Thread per deposit, all of them, then Join them all"
        );
    }

    [Test]
    public void Unsafe_mode_prints_the_balance_its_deposits_left()
    {
        var part = _unsafe;
        Runs.Finished(part.Run);
        var balance = RequireBalance(part);
        // Replays the deposits as the service saw them: each reads the balance as it enters the
        // critical work and writes what it read plus the amount as it leaves, so a deposit whose
        // read came before another's write overwrites that write.
        var written = 0L;
        var read = new Dictionary<(int, int), long>();
        var replayed = 0;
        foreach (var e in part.Run.Events.Where(e => e.Event is "critical-start" or "critical-end").OrderBy(e => e.At))
        {
            if (e.Event == "critical-start")
            {
                read[(e.Pid, e.Tid)] = written;
            }
            else if (read.Remove((e.Pid, e.Tid), out var seen))
            {
                written = seen + part.Amount;
                replayed++;
            }
        }
        // Deposits that enter or leave within a few milliseconds of each other may be seen in either order.
        var slack = Math.Max(2, replayed / 10) * (long)part.Amount;
        Explain.That(
            replayed > 0 && Math.Abs(balance - written) <= slack,
            $"in {part.Name}, the balance the deposits left: about {written} ({Text(replayed)} deposits as the verifier saw them enter and leave the critical work, with their lost updates)",
            () => $"\"balance {balance}\"",
            "print the account's real balance after joining the threads: the lost updates must come from the race itself, not from a number your program made up"
        );
    }

    [Test]
    public void Exits_with_code_zero()
    {
        foreach (var part in _safe.Append(_unsafe))
        {
            Runs.ExitedWithZero(part.Run);
        }
    }

    [Test]
    public void Leaves_no_process_running()
    {
        foreach (var part in _safe.Append(_unsafe).Append(_failing))
        {
            Runs.LeftNoOrphans(part.Run);
        }
    }

    [Test]
    public void Event_log_matches_what_the_system_saw()
    {
        Runs.EventLogMatchesTheSystem([.. _safe.Append(_unsafe).Append(_failing).Select(p => p.Run)]);
    }

    /// <summary>Where to look when a balance is wrong, from what the run shows went wrong.</summary>
    private static string BalanceLookAt(Deposits part, long balance, string otherwise)
    {
        var line = RequireBalanceLine(part);
        if (balance == 0)
        {
            return "every thread deposits into the one shared account, and the main program prints the balance of that same account";
        }
        if (CriticalSections.FirstOverlap(CriticalSections.Spans(part.Run)) is not null)
        {
            return "several threads were inside the deposit at once and wrote over each other's balance: the read, Kata.CriticalWork and the write must all be inside one lock, on one lock object shared by every thread";
        }
        if (part.Run.Events.Any(e => e.Event == "critical-end" && e.At > line.At))
        {
            return "deposits were still going on when the balance was printed: wait for every thread (Join) before printing it";
        }
        return otherwise;
    }

    private static long RequireBalance(Deposits part) =>
        long.Parse(Pattern().Match(RequireBalanceLine(part).Text).Groups[1].Value, CultureInfo.InvariantCulture);

    private static OutputLine RequireBalanceLine(Deposits part)
    {
        var lines = part.Run.Stdout.Where(l => Pattern().IsMatch(l.Text)).ToList();
        Explain.That(
            lines.Count == 1,
            $"one line \"balance <number>\" from {part.Name}",
            () => $"{lines.Count} such lines. {Runs.Transcript(part.Run, includeErrors: true)}",
            "print the balance once, after all the threads are done: Console.WriteLine($\"balance {account.Balance}\")"
        );
        return lines[0];
    }

    private static string Describe(long balance, Deposits part)
    {
        if (balance < part.Expected && balance % part.Amount == 0)
        {
            var lost = (part.Expected - balance) / part.Amount;
            return $"{lost} of the {part.Threads} deposits of {part.Amount} are missing";
        }
        return balance > part.Expected ? $"{balance - part.Expected} too much" : $"{part.Expected - balance} missing";
    }

    private static string Entered(List<SupportEvent> after, int failedTid) =>
        after.Count == 0 ? "no thread"
        : after.All(e => e.Tid == failedTid) ? $"only the thread that failed ({after.Count} time(s))"
        : $"{after.Select(e => e.Tid).Distinct().Count()} thread(s) ({after.Count} time(s))";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*balance\s+(-?[0-9]{1,18})\s*$")]
    private static partial Regex Pattern();

    private sealed record Deposits(string Mode, int Threads, int Amount, RunRequest Request, RunRecord Run)
    {
        public long Expected => (long)Threads * Amount;
        public string Name => $"\"{Mode} {Threads} {Amount}\"";
    }
}
