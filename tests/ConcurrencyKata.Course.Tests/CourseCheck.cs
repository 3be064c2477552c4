using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// Proves every exercise gradable: the stub is unsolved and marked, the reference solution passes on
/// every run, and every wrong fixture fails exactly the checks it declares on every run.
/// </summary>
[NonParallelizable]
public sealed class CourseCheck
{
    [OneTimeTearDown]
    public void DeleteWorkspaces() => CourseWorkspace.DeleteShared();

    [TestCaseSource(typeof(Repository), nameof(Repository.Exercises))]
    public void Instructions_and_hints_exist_in_english_and_simplified_chinese(string id)
    {
        var exercise = Repository.Course.Find(id);
        foreach (var language in new[] { Catalog.Language.English, Catalog.Language.Chinese })
        {
            foreach (var path in new[] { exercise.ReadmePath(language), exercise.HintsPath(language) })
            {
                Assert.That(File.Exists(path), Is.True, path);
                var text = File.ReadAllText(path);
                var chinese = text.Count(c => c is >= '\u4e00' and <= '\u9fff');
                if (language == Catalog.Language.Chinese)
                {
                    Assert.That(chinese, Is.GreaterThan(50), $"{path} is written in Chinese");
                }
                var heading = path == exercise.HintsPath(language) ? "## Hint 1" : "# ";
                Assert.That(text, Does.Contain(heading).Or.Contain("## 提示 1"), path);
            }
        }
        Assert.That(
            exercise.TitleZh.Any(c => c is >= '\u4e00' and <= '\u9fff'),
            Is.True,
            "the catalog has a Chinese title"
        );
    }

    [TestCaseSource(typeof(Repository), nameof(Repository.Exercises))]
    public async Task The_stub_has_todos_builds_and_fails(string id)
    {
        var exercise = Repository.Course.Find(id);
        var stub = File.ReadAllText(Path.Combine(exercise.StubDirectory, "Program.cs"));
        Assert.That(stub, Does.Contain("// TODO"), "the stub marks every place to change with // TODO");

        using var workspace = CourseWorkspace.Reuse(exercise, programFile: null);
        var build = await workspace.BuildAsync();
        var run = CourseWorkspace.Verify(exercise, build, 0);
        Assert.That(
            run.Checks.Where(c => c.Status == CheckStatus.Failed).Select(c => c.Name),
            Is.Not.Empty,
            "the untouched stub must fail verification"
        );
        Assert.That(
            run.Checks.Where(c => c.Message?.Contains("NotImplementedException", StringComparison.Ordinal) == true),
            Is.Empty,
            "the stub fails on behaviour, not by throwing NotImplementedException"
        );
    }

    [TestCaseSource(typeof(Repository), nameof(Repository.Exercises))]
    public Task The_reference_solution_passes_on_every_run(string id) =>
        PassesOnEveryRun(id, Path.Combine(".meta", "solution", "Program.cs"));

    /// <summary>Another correct way to solve the exercise (another kind of lock, say) must pass as well.</summary>
    [TestCaseSource(typeof(Repository), nameof(Repository.AlternativeSolutions))]
    public Task An_alternative_solution_passes_on_every_run(string id, string name) =>
        PassesOnEveryRun(id, Path.Combine(".meta", "also-correct", name, "Program.cs"));

    private static async Task PassesOnEveryRun(string id, string program)
    {
        var exercise = Repository.Course.Find(id);
        using var workspace = CourseWorkspace.Reuse(exercise, Path.Combine(exercise.Directory, program));
        var build = await workspace.BuildAsync();
        for (var run = 1; run <= Repository.Runs; run++)
        {
            var result = CourseWorkspace.Verify(exercise, build, run);
            // A speed-up cannot be shown while other programs hold the processors; the spec then
            // skips with its figures (never passes), which is the one skip a correct solution may get.
            var busy = result
                .Checks.Where(c => c.Status == CheckStatus.Skipped && Specs.Explain.IsBusyMachineSkip(c.Message))
                .ToList();
            var failed = result.Checks.Where(c => c.Status != CheckStatus.Passed).Except(busy).ToList();
            Assert.That(
                failed,
                Is.Empty,
                () =>
                    $"run {run} of {Repository.Runs}:\n"
                    + string.Join("\n", failed.Select(c => $"{c.Name} ({c.Status}): {c.Message}"))
            );
            TestContext.Out.WriteLine(
                $"run {run}: {result.Checks.Count - busy.Count} checks passed, program ran {result.ProgramTime.TotalSeconds:0.00} s"
            );
            foreach (var check in busy)
            {
                TestContext.Out.WriteLine($"run {run}: {check.Name} {check.Message}");
            }
        }
    }

    [TestCaseSource(typeof(Repository), nameof(Repository.WrongFixtures))]
    public async Task A_wrong_fixture_fails_exactly_its_declared_checks_on_every_run(string id, string mistake)
    {
        var exercise = Repository.Course.Find(id);
        var declared = Repository.DeclaredFailures(exercise, mistake).Order(StringComparer.Ordinal).ToList();
        var unknown = declared.Except(SpecNames(exercise)).ToList();
        Assert.That(unknown, Is.Empty, "expected.json names checks the exercise does not have");

        var program = Path.Combine(exercise.Directory, ".meta", "wrong", mistake, "Program.cs");
        using var workspace = CourseWorkspace.Reuse(exercise, program);
        var build = await workspace.BuildAsync();
        for (var run = 1; run <= Repository.Runs; run++)
        {
            var result = CourseWorkspace.Verify(exercise, build, run);
            var failed = result
                .Checks.Where(c => c.Status == CheckStatus.Failed)
                .Select(c => c.Name)
                .Order(StringComparer.Ordinal)
                .ToList();
            Assert.That(
                failed,
                Is.EqualTo(declared),
                () =>
                    $"run {run} of {Repository.Runs}:\n"
                    + string.Join("\n", result.Checks.Select(c => $"{c.Name} ({c.Status}): {c.Message}"))
            );
            foreach (var check in result.Checks.Where(c => c.Status == CheckStatus.Failed))
            {
                Assert.That(
                    check.Message,
                    Does.Contain("Expected:").And.Contain("Observed:"),
                    $"{check.Name} explains itself"
                );
            }
        }
    }

    private static IEnumerable<string> SpecNames(ConcurrencyKata.Catalog.Exercise exercise) =>
        typeof(Specs.ExerciseAttribute)
            .Assembly.GetTypes()
            .Where(t =>
                t.GetCustomAttributes(typeof(Specs.ExerciseAttribute), false)
                    .Cast<Specs.ExerciseAttribute>()
                    .Any(a => a.Id == exercise.Id)
            )
            .SelectMany(t => t.GetMethods())
            .Where(m => m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0)
            .Select(m => m.Name);
}
