using System.Diagnostics;
using System.Security;
using ConcurrencyKata.Harness;
using ConcurrencyKata.Specs;
using NUnit;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace ConcurrencyKata.Verification;

/// <param name="ProgramTime">How long the learner's program ran, summed over every run the specs made.</param>
public sealed record SpecRun(IReadOnlyList<CheckResult> Checks, TimeSpan ProgramTime, TimeSpan Duration);

/// <summary>The seam between verification and the test framework.</summary>
public interface ISpecRunner
{
    /// <param name="onCheck">Called as each check finishes, for progress.</param>
    SpecRun Run(string exerciseId, string programPath, string seed, Action<CheckResult>? onCheck = null);
}

/// <summary>
/// Runs one exercise's specs in this process through NUnit's framework API: no test host, no
/// <c>dotnet test</c>. The built program and the seed reach the specs as NUnit test parameters.
/// </summary>
public sealed class NUnitSpecRunner : ISpecRunner
{
    private readonly IProgramRunner _programs;

    public NUnitSpecRunner(IProgramRunner? programs = null) => _programs = programs ?? new ProgramRunner();

    public SpecRun Run(string exerciseId, string programPath, string seed, Action<CheckResult>? onCheck = null)
    {
        var clock = Stopwatch.StartNew();
        var recorder = new RecordingRunner(_programs);
        Learner.Runner = recorder;
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object>
        {
            [FrameworkPackageSettings.TestParametersDictionary] = new Dictionary<string, string>
            {
                [Learner.ProgramParameter] = programPath,
                [Learner.SeedParameter] = seed,
            },
            [FrameworkPackageSettings.NumberOfTestWorkers] = 0,
        };
        runner.Load(typeof(ExerciseAttribute).Assembly, settings);
        var filter = TestFilter.FromXml($"<filter><cat>{SecurityElement.Escape(exerciseId)}</cat></filter>");
        var listener = new Listener(onCheck);
        var result = Isolated(() => runner.Run(listener, filter));
        var checks = Leaves(result)
            .OrderBy(r => r.Test.Method?.MethodInfo.MetadataToken ?? int.MaxValue)
            .Select(ToCheck)
            .ToList();
        return new SpecRun(checks, recorder.Total, clock.Elapsed);
    }

    internal static CheckResult ToCheck(ITestResult result)
    {
        var status = result.ResultState.Status switch
        {
            TestStatus.Passed => CheckStatus.Passed,
            TestStatus.Skipped => CheckStatus.Skipped,
            TestStatus.Inconclusive => CheckStatus.NotJudged,
            _ => CheckStatus.Failed,
        };
        var message = string.IsNullOrWhiteSpace(result.Message) ? null : result.Message.Trim();
        if (status == CheckStatus.Failed && message is null)
        {
            message = "The check failed without a message.";
        }
        return new CheckResult(
            result.Test.Name,
            status,
            status == CheckStatus.Passed ? null : message,
            TimeSpan.FromSeconds(result.Duration)
        )
        {
            Points = SpecCatalog.Points(result.Test.Properties.Get(PointsAttribute.PropertyName)),
        };
    }

    /// <summary>
    /// Runs the specs on a thread of their own that inherits no execution context, so a verification
    /// started from inside another NUnit run (the course check) cannot mix up the two runs' contexts.
    /// </summary>
    private static ITestResult Isolated(Func<ITestResult> run)
    {
        ITestResult? result = null;
        Exception? failure = null;
        Thread thread;
        using (ExecutionContext.SuppressFlow())
        {
            thread = new Thread(() =>
            {
                try
                {
                    result = run();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            })
            {
                Name = "kata-specs",
            };
            thread.Start();
        }
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        return result!;
    }

    private static IEnumerable<ITestResult> Leaves(ITestResult result) =>
        result.HasChildren ? result.Children.SelectMany(Leaves)
        : result.Test.IsSuite ? []
        : [result];

    private sealed class Listener(Action<CheckResult>? onCheck) : ITestListener
    {
        public void TestStarted(ITest test) { }

        public void TestFinished(ITestResult result)
        {
            if (!result.Test.IsSuite)
            {
                onCheck?.Invoke(ToCheck(result));
            }
        }

        public void TestOutput(TestOutput output) { }

        public void SendMessage(TestMessage message) { }
    }

    /// <summary>Passes runs through and adds up how long the learner's program ran.</summary>
    private sealed class RecordingRunner(IProgramRunner inner) : IProgramRunner
    {
        private long _ticks;

        public TimeSpan Total => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public async Task<RunRecord> RunAsync(RunRequest request, CancellationToken cancellationToken = default)
        {
            var record = await inner.RunAsync(request, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _ticks, record.WallTime.Ticks);
            return record;
        }
    }
}
