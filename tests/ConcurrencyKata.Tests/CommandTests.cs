using System.Text.Json;
using System.Xml.Linq;
using ConcurrencyKata.Commands;
using ConcurrencyKata.Verification;
using Moq;

namespace ConcurrencyKata.Tests;

public sealed class CommandTests
{
    private KataFixture _kata = null!;

    [SetUp]
    public void Create() => _kata = new KataFixture();

    [TearDown]
    public void Clean() => _kata.Dispose();

    [Test]
    public async Task I_can_start_with_kata_next_in_an_empty_folder()
    {
        var exit = await _kata.RunAsync("next");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(File.Exists(_kata.ExerciseFile("01-sequential-download", "Program.cs")), Is.True);
        Assert.That(File.Exists(_kata.ExerciseFile("01-sequential-download", "SequentialDownload.csproj")), Is.True);
        Assert.That(File.Exists(_kata.ExerciseFile("01-sequential-download", "README.zh-CN.md")), Is.True);
        Assert.That(File.Exists(Path.Combine(_kata.Folder, ".kata", "support", "Kata.cs")), Is.True);
        Assert.That(State().GetProperty("current").GetString(), Is.EqualTo("sequential-download"));
        Assert.That(_kata.Output, Does.Contain("kata verify"));
    }

    [Test]
    public async Task Kata_next_refuses_to_move_on_before_the_current_exercise_passes()
    {
        await _kata.RunAsync("next");
        var printed = _kata.StandardOutput.Length;

        var exit = await _kata.RunAsync("next");

        Assert.That(exit, Is.EqualTo(2), "refused: not a failed check");
        Assert.That(_kata.ErrorOutput, Does.Contain("kata next --skip"));
        Assert.That(_kata.StandardOutput[printed..], Is.Empty);
        Assert.That(Directory.Exists(Path.Combine(_kata.Folder, "exercises", "02-process-download")), Is.False);
    }

    [Test]
    public async Task Kata_next_skip_moves_on_anyway()
    {
        await _kata.RunAsync("next");

        var exit = await _kata.RunAsync("next", "--skip");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(File.Exists(_kata.ExerciseFile("02-process-download", "Program.cs")), Is.True);
        Assert.That(State().GetProperty("current").GetString(), Is.EqualTo("process-download"));
    }

    [Test]
    public async Task The_workspace_opens_in_an_IDE_as_one_solution_with_launch_profiles()
    {
        await _kata.RunAsync("next");
        await _kata.RunAsync("next", "--skip");

        var solution = XDocument.Load(Path.Combine(_kata.Folder, "kata.slnx"));
        var projects = solution.Descendants("Project").Select(p => (string?)p.Attribute("Path")).ToList();
        Assert.That(
            projects,
            Is.EqualTo(
                new[]
                {
                    "exercises/01-sequential-download/SequentialDownload.csproj",
                    "exercises/02-process-download/ProcessDownload.csproj",
                    ".kata/support/Kata.Support.csproj",
                }
            )
        );
        Assert.That(File.ReadAllText(Path.Combine(_kata.Folder, ".editorconfig")), Does.Contain("root = true"));
        using var launch = JsonDocument.Parse(
            File.ReadAllText(
                _kata.ExerciseFile("02-process-download", Path.Combine("Properties", "launchSettings.json"))
            )
        );
        var profile = launch.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.That(profile.GetProperty("commandLineArgs").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Kata_next_never_overwrites_a_program_I_already_wrote()
    {
        var program = _kata.ExerciseFile("01-sequential-download", "Program.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(program)!);
        await File.WriteAllTextAsync(program, "// my work");

        await _kata.RunAsync("next");

        Assert.That(await File.ReadAllTextAsync(program), Is.EqualTo("// my work"));
        Assert.That(_kata.Output, Does.Contain("kept"));
    }

    [Test]
    public async Task Kata_verify_shows_the_compiler_errors_and_exits_3_when_the_build_fails()
    {
        await _kata.RunAsync("next");
        _kata
            .Builder.Setup(b =>
                b.BuildAsync(
                    It.IsAny<string>(),
                    It.IsAny<string>(),
                    It.IsAny<BuildOptions>(),
                    It.IsAny<CancellationToken>()
                )
            )
            .ReturnsAsync(
                new BuildResult(
                    false,
                    "",
                    ["exercises/01-sequential-download/Program.cs(3,1): error CS1002: ; expected"],
                    TimeSpan.FromSeconds(1)
                )
            );

        var exit = await _kata.RunAsync("verify");

        Assert.That(exit, Is.EqualTo(3));
        Assert.That(_kata.Output, Does.Contain("Program.cs(3,1): error CS1002: ; expected"));
        Assert.That(_kata.Output, Does.Contain("No check ran"));
        _kata.Specs.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Kata_verify_explains_a_failing_check_and_exits_1()
    {
        await _kata.RunAsync("next");
        _kata.SpecsReturn(
            new CheckResult("Exits_with_code_zero", CheckStatus.Passed, null, TimeSpan.Zero),
            new CheckResult(
                "Downloads_one_file_after_another",
                CheckStatus.Failed,
                "Expected: one after another\nObserved: two at once\nLook at: the loop",
                TimeSpan.Zero
            )
        );

        var exit = await _kata.RunAsync("verify");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(_kata.Output, Does.Contain("✗ Downloads one file after another"));
        Assert.That(_kata.Output, Does.Contain("Observed: two at once"));
        Assert.That(_kata.Output, Does.Contain("1 of 2 checks passed"));
        Assert.That(State().GetProperty("passed").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Files_the_program_changes_while_it_runs_are_put_back_and_named()
    {
        await _kata.RunAsync("next");
        var program = _kata.ExerciseFile("01-sequential-download", "Program.cs");
        var source = File.ReadAllText(program);
        var statePath = Path.Combine(_kata.Folder, ".kata", "state.json");
        var state = File.ReadAllText(statePath);
        var extra = _kata.ExerciseFile("01-sequential-download", "Backdoor.cs");
        // What a hostile program does while it runs (as the learner's own user, nothing stops it).
        _kata
            .Specs.Setup(s =>
                s.Run(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Action<CheckResult>?>())
            )
            .Returns(() =>
            {
                File.WriteAllText(statePath, """{"current":"sequential-download","passed":["all-cores"]}""");
                File.Delete(program);
                File.WriteAllText(extra, "// added");
                return new SpecRun(
                    [new CheckResult("Exits_with_code_zero", CheckStatus.Failed, "no", TimeSpan.Zero)],
                    TimeSpan.Zero,
                    TimeSpan.Zero
                );
            });

        var exit = await _kata.RunAsync("verify");

        Assert.That(exit, Is.EqualTo(1), _kata.Output);
        Assert.That(File.ReadAllText(program), Is.EqualTo(source));
        Assert.That(File.ReadAllText(statePath), Is.EqualTo(state));
        Assert.That(
            _kata.Output,
            Does.Contain("kata put them back: .kata/state.json, exercises/01-sequential-download/Program.cs")
        );
        Assert.That(_kata.Output, Does.Contain("(left in place): exercises/01-sequential-download/Backdoor.cs"));
    }

    [Test]
    public async Task Kata_verify_records_a_pass_and_points_to_the_next_exercise()
    {
        await _kata.RunAsync("next");
        _kata.SpecsReturn(new CheckResult("Exits_with_code_zero", CheckStatus.Passed, null, TimeSpan.Zero));

        var exit = await _kata.RunAsync("verify");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(State().GetProperty("passed")[0].GetString(), Is.EqualTo("sequential-download"));
        Assert.That(_kata.Output, Does.Contain("kata next"));
        _kata.Specs.Verify(s =>
            s.Run("sequential-download", "/built/program", It.IsAny<string>(), It.IsAny<Action<CheckResult>?>())
        );
    }

    [Test]
    public async Task A_skipped_check_is_shown_as_skipped_never_as_passed()
    {
        await _kata.RunAsync("next");
        _kata.SpecsReturn(
            new CheckResult("Left_no_orphans", CheckStatus.Skipped, "skipped: needs /proc", TimeSpan.Zero)
        );

        await _kata.RunAsync("verify");

        Assert.That(_kata.Output, Does.Contain("- Left no orphans"));
        Assert.That(_kata.Output, Does.Contain("skipped: needs /proc"));
        Assert.That(_kata.Output, Does.Contain("1 skipped"));
    }

    [Test]
    public async Task A_check_not_judged_because_of_another_earns_nothing_and_the_exercise_does_not_pass()
    {
        await _kata.RunAsync("next");
        _kata.SpecsReturn(
            new CheckResult(
                "Exits_with_code_zero",
                CheckStatus.Failed,
                "Expected: exit code 0\nObserved: stopped",
                TimeSpan.Zero
            ),
            new CheckResult(
                "Total_matches_the_measured_time",
                CheckStatus.NotJudged,
                "not judged: the program was stopped at the time limit of 12.00 s",
                TimeSpan.Zero
            )
        );
        var results = Path.Combine(_kata.Folder, "results.json");

        var exit = await _kata.RunAsync("verify", "--results", results);

        Assert.That(exit, Is.EqualTo(1), _kata.Output);
        Assert.That(_kata.Output, Does.Contain("· Total matches the measured time"));
        Assert.That(_kata.Output, Does.Contain("not judged: the program was stopped"));
        Assert.That(_kata.Output, Does.Contain("1 not judged"));
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(results));
        var check = json.RootElement.GetProperty("tests")[1];
        Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("fail"));
        Assert.That(check.GetProperty("score").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task Kata_verify_restores_a_tampered_support_library_before_building()
    {
        await _kata.RunAsync("next");
        var support = Path.Combine(_kata.Folder, ".kata", "support", "Kata.cs");
        await File.WriteAllTextAsync(support, "// tampered");
        await File.WriteAllTextAsync(Path.Combine(_kata.Folder, ".kata", "support", "Extra.cs"), "// added");
        _kata.SpecsReturn(new CheckResult("Exits_with_code_zero", CheckStatus.Passed, null, TimeSpan.Zero));

        await _kata.RunAsync("verify");

        var pristine = Path.Combine(KataFixture.Course.SupportDirectory, "Kata.cs");
        Assert.That(await File.ReadAllTextAsync(support), Is.EqualTo(await File.ReadAllTextAsync(pristine)));
        Assert.That(File.Exists(Path.Combine(_kata.Folder, ".kata", "support", "Extra.cs")), Is.False);
    }

    [Test]
    public async Task Kata_verify_all_checks_every_exercise_present_and_fails_unless_all_pass()
    {
        await _kata.RunAsync("next");
        await _kata.RunAsync("next", "--skip");
        _kata
            .Specs.SetupSequence(s =>
                s.Run(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Action<CheckResult>?>())
            )
            .Returns(
                new SpecRun(
                    [new CheckResult("A", CheckStatus.Passed, null, TimeSpan.Zero)],
                    TimeSpan.Zero,
                    TimeSpan.Zero
                )
            )
            .Returns(
                new SpecRun(
                    [new CheckResult("B", CheckStatus.Failed, "Expected: x\nObserved: y\nLook at: z", TimeSpan.Zero)],
                    TimeSpan.Zero,
                    TimeSpan.Zero
                )
            );

        var exit = await _kata.RunAsync("verify", "--all");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(_kata.Output, Does.Contain("1 of 2 exercises passed"));
        _kata.Specs.Verify(
            s => s.Run(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Action<CheckResult>?>()),
            Times.Exactly(2)
        );
    }

    [Test]
    public async Task An_unknown_exercise_is_a_usage_error_without_a_stack_trace()
    {
        await _kata.RunAsync("next");

        var exit = await _kata.RunAsync("verify", "no-such-exercise");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("There is no exercise 'no-such-exercise'"));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
    }

    [TestCase("verify", "{ not json")]
    [TestCase("verify", "{ \"passed\": null }")]
    [TestCase("list", "{ \"current\": \"sequential-download\" }")]
    [TestCase("next", "[ \"sequential-download\" ]")]
    [TestCase("verify", "{ \"passed\": [ 1 ] }")]
    [TestCase("list", "null")]
    [TestCase("verify", "")]
    public async Task A_damaged_progress_file_is_explained_without_a_stack_trace_and_left_as_it_was(
        string command,
        string damaged
    )
    {
        await _kata.RunAsync("next");
        var state = Path.Combine(_kata.Folder, ".kata", "state.json");
        await File.WriteAllTextAsync(state, damaged);

        var exit = await _kata.RunAsync(command);

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("is damaged"));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
        Assert.That(await File.ReadAllTextAsync(state), Is.EqualTo(damaged), "the file is not rewritten");
    }

    [Test]
    public async Task Verify_outside_a_workspace_says_how_to_start_one()
    {
        var exit = await _kata.RunAsync("verify");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("is not a kata workspace"));
        Assert.That(_kata.Output, Does.Contain("kata next"));
    }

    [Test]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var exit = await _kata.RunAsync("verify", "--frobnicate");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task Kata_reset_restores_the_stub_and_keeps_a_backup_of_my_program()
    {
        await _kata.RunAsync("next");
        var program = _kata.ExerciseFile("01-sequential-download", "Program.cs");
        await File.WriteAllTextAsync(program, "// my attempt");

        var exit = await _kata.RunAsync("reset", "01-sequential-download");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var stub = Path.Combine(KataFixture.Course.Find("sequential-download").StubDirectory, "Program.cs");
        Assert.That(await File.ReadAllTextAsync(program), Is.EqualTo(await File.ReadAllTextAsync(stub)));
        var backup = program + ".20261125-143000.bak";
        Assert.That(await File.ReadAllTextAsync(backup), Is.EqualTo("// my attempt"));
        Assert.That(_kata.Output, Does.Contain("Program.cs.20261125-143000.bak"));
    }

    [Test]
    public async Task Two_resets_in_the_same_second_keep_both_backups()
    {
        await _kata.RunAsync("next");
        var program = _kata.ExerciseFile("01-sequential-download", "Program.cs");
        await File.WriteAllTextAsync(program, "// first attempt");
        await _kata.RunAsync("reset", "01-sequential-download");
        await File.WriteAllTextAsync(program, "// second attempt");

        var exit = await _kata.RunAsync("reset", "01-sequential-download");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(await File.ReadAllTextAsync(program + ".20261125-143000.bak"), Is.EqualTo("// first attempt"));
        Assert.That(await File.ReadAllTextAsync(program + ".20261125-143000-2.bak"), Is.EqualTo("// second attempt"));
    }

    [Test]
    public async Task Kata_hint_shows_the_hints_in_chinese_with_lang_zh_CN_and_remembers_the_language()
    {
        await _kata.RunAsync("next");

        var exit = await _kata.RunAsync("hint", "--lang", "zh-CN");

        var hints = HintCommand.Parse(
            await File.ReadAllTextAsync(
                KataFixture.Course.Find("sequential-download").HintsPath(Catalog.Language.Chinese)
            )
        );
        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_kata.Output, Does.Contain("提示 1/" + hints.Count).And.Not.Contain("Hint 1"));
        Assert.That(State().GetProperty("language").GetString(), Is.EqualTo("zh-CN"));

        await _kata.RunAsync("list");
        Assert.That(
            _kata.Output,
            Does.Contain(KataFixture.Course.Find("sequential-download").Title_(Catalog.Language.Chinese))
        );
    }

    [Test]
    public async Task Kata_hint_shows_one_unseen_hint_at_a_time_and_all_of_them_with_all()
    {
        await _kata.RunAsync("next");
        var hints = HintCommand.Parse(
            await File.ReadAllTextAsync(
                KataFixture.Course.Find("sequential-download").HintsPath(Catalog.Language.English)
            )
        );
        Assert.That(hints, Has.Count.GreaterThanOrEqualTo(3));

        var shown = new List<string>();
        for (var i = 0; i < hints.Count + 1; i++)
        {
            var before = _kata.StandardOutput.Length;
            Assert.That(await _kata.RunAsync("hint"), Is.EqualTo(0), _kata.Output);
            shown.Add(_kata.StandardOutput[before..]);
        }

        Assert.That(shown[0], Does.Contain($"Hint 1 of {hints.Count}").And.Not.Contain("Hint 2"));
        Assert.That(shown[0], Does.Contain($"Run kata hint again for hint 2 of {hints.Count}."));
        Assert.That(shown[1], Does.Contain($"Hint 2 of {hints.Count}").And.Not.Contain("Hint 1 "));
        Assert.That(shown[0], Is.Not.EqualTo(shown[1]));
        Assert.That(shown[hints.Count - 1], Does.Contain($"That was the last hint of {hints.Count}"));
        Assert.That(shown[hints.Count], Does.Contain("There are no more hints"));
        Assert.That(
            State().GetProperty("hintsShown").GetProperty("sequential-download").GetInt32(),
            Is.EqualTo(hints.Count)
        );
        // Rendered, not raw Markdown: no heading marks, no backticks around code.
        Assert.That(shown[0], Does.Not.Contain("## ").And.Not.Contain("`"));

        var start = _kata.StandardOutput.Length;
        await _kata.RunAsync("hint", "--all");
        var all = _kata.StandardOutput[start..];
        for (var i = 1; i <= hints.Count; i++)
        {
            Assert.That(all, Does.Contain($"Hint {i} of {hints.Count}"));
        }
    }

    [Test]
    public void Hints_are_rendered_as_text_without_their_markdown()
    {
        var rendered = HintCommand.Render(
            "Use `Process.Start` and **wait**:\nits result comes\nlater.\n\n- one item\n- another\n\n```csharp\nvar x = 1;\n```"
        );

        Assert.That(
            rendered,
            Is.EqualTo(
                "Use [aqua]Process.Start[/] and [bold]wait[/]: its result comes later.\n\n- one item\n- another\n\n    [aqua]var x = 1;[/]"
            )
        );
    }

    [Test]
    public async Task A_mistyped_option_is_an_error_that_says_which_was_meant()
    {
        await _kata.RunAsync("next");
        var printed = _kata.StandardOutput.Length;

        var exit = await _kata.RunAsync("verify", "--al");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.ErrorOutput, Does.Contain("Unknown option 'al'"));
        Assert.That(KataApp.Suggest("al", ["verify", "--al"]), Is.EqualTo("all"));
        Assert.That(KataApp.Suggest("lnag", ["list", "--lnag"]), Is.EqualTo("lang"));
        Assert.That(KataApp.Suggest("json", ["hint", "--json"]), Is.Null, "hint has no --json");
        Assert.That(_kata.StandardOutput[printed..], Is.Empty);
    }

    [Test]
    public async Task Without_an_exercise_named_commands_use_the_one_whose_folder_you_are_in()
    {
        await _kata.RunAsync("next");
        await _kata.RunAsync("next", "--skip");
        var workspace = Workspace.LearnerWorkspace.Open(_kata.Folder);

        var first = KataFixture.Course.Find("sequential-download");
        Assert.That(
            workspace.ExerciseHere(KataFixture.Course, Path.Combine(workspace.ExerciseDirectory(first), "bin")),
            Is.SameAs(first)
        );
        Assert.That(
            workspace.ExerciseHere(KataFixture.Course, _kata.Folder).Id,
            Is.EqualTo("process-download"),
            "elsewhere: the current exercise"
        );
    }

    [Test]
    public async Task Kata_list_shows_every_exercise_with_its_state()
    {
        await _kata.RunAsync("next");

        var exit = await _kata.RunAsync("list");

        Assert.That(exit, Is.EqualTo(0));
        foreach (var exercise in KataFixture.Course.Exercises)
        {
            Assert.That(_kata.Output, Does.Contain(exercise.Id));
        }
        Assert.That(_kata.Output, Does.Contain("current"));
        Assert.That(_kata.Output, Does.Contain("not started"));
    }

    private JsonElement State() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(_kata.Folder, ".kata", "state.json"))).RootElement;
}
