using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Schema;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Specs;
using ConcurrencyKata.Verification;
using Moq;
using Spectre.Console;

namespace ConcurrencyKata.Tests;

/// <summary>What CI systems read from <c>kata verify</c>: results.json, JUnit XML, GitHub annotations and step summary.</summary>
public sealed class ReportTests
{
    private const string Failure = "Expected: one after another\nObserved: two at once\nLook at: the loop";
    private KataFixture _kata = null!;

    [SetUp]
    public void Create() => _kata = new KataFixture();

    [TearDown]
    public void Clean() => _kata.Dispose();

    [Test]
    public async Task Verify_all_writes_results_json_in_the_exercism_v3_format_with_points()
    {
        await TwoExercisesOneFailingAsync();
        var results = Path.Combine(_kata.Folder, "out", "results.json");

        var exit = await _kata.RunAsync("verify", "--all", "--results", results);

        Assert.That(exit, Is.EqualTo(1), _kata.Output);
        var expected = JsonNode.Parse(
            """
            {
              "version": 3,
              "status": "fail",
              "tests": [
                { "name": "01-sequential-download: Exits with code zero", "status": "pass", "message": null,
                  "output": null, "task_id": 1, "score": 2, "max_score": 2 },
                { "name": "01-sequential-download: Downloads one file after another", "status": "fail",
                  "message": "Expected: one after another\nObserved: two at once\nLook at: the loop",
                  "output": null, "task_id": 1, "score": 0, "max_score": 1 },
                { "name": "02-process-download: Starts one child process per file", "status": "pass", "message": null,
                  "output": null, "task_id": 2, "score": 1, "max_score": 1 }
              ],
              "score": 3,
              "max_score": 4
            }
            """
        );
        var actual = JsonNode.Parse(await File.ReadAllTextAsync(results));
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, actual!.ToJsonString());
    }

    [Test]
    public async Task A_build_failure_is_an_error_with_the_compiler_message_and_every_check_listed()
    {
        await _kata.RunAsync("next");
        BuildFails();
        var results = Path.Combine(_kata.Folder, "results.json");

        var exit = await _kata.RunAsync("verify", "--results", results);

        Assert.That(exit, Is.EqualTo(3));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(results))!;
        Assert.That(json["version"]!.GetValue<int>(), Is.EqualTo(3));
        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("error"));
        Assert.That(
            json["message"]!.GetValue<string>(),
            Is.EqualTo(
                "01-sequential-download did not build:\n"
                    + "exercises/01-sequential-download/Program.cs(3,1): error CS1002: ; expected"
            )
        );
        var planned = SpecCatalog.Checks("sequential-download");
        var tests = json["tests"]!.AsArray();
        Assert.That(planned, Is.Not.Empty);
        Assert.That(
            tests.Select(t => t!["name"]!.GetValue<string>()),
            Is.EqualTo(planned.Select(p => "01-sequential-download: " + p.Name.Replace('_', ' ')))
        );
        Assert.That(tests.Select(t => t!["status"]!.GetValue<string>()), Is.All.EqualTo("error"));
        Assert.That(tests.Select(t => t!["output"]!.GetValue<string>()), Is.All.Contain("error CS1002"));
        Assert.That(json["score"]!.GetValue<int>(), Is.Zero);
        Assert.That(json["max_score"]!.GetValue<int>(), Is.EqualTo(planned.Sum(p => p.Points)));
    }

    [Test]
    public async Task Verify_all_writes_junit_xml_that_validates_against_the_junit_schema()
    {
        await TwoExercisesOneFailingAsync();
        var junit = Path.Combine(_kata.Folder, "junit.xml");

        var exit = await _kata.RunAsync("verify", "--all", "--junit", junit);

        Assert.That(exit, Is.EqualTo(1), _kata.Output);
        Validate(junit);
        var xml = System.Xml.Linq.XDocument.Load(junit).Root!;
        Assert.That(xml.Attribute("tests")!.Value, Is.EqualTo("3"));
        Assert.That(xml.Attribute("failures")!.Value, Is.EqualTo("1"));
        var failure = xml.Descendants("failure").Single();
        Assert.That(failure.Parent!.Attribute("name")!.Value, Is.EqualTo("Downloads one file after another"));
        Assert.That(failure.Parent!.Attribute("classname")!.Value, Is.EqualTo("exercises.01-sequential-download"));
        Assert.That(failure.Attribute("message")!.Value, Is.EqualTo("Expected: one after another"));
        Assert.That(failure.Value, Is.EqualTo(Failure));
    }

    [Test]
    public async Task A_build_failure_in_junit_xml_is_an_error_and_the_checks_are_skipped()
    {
        await _kata.RunAsync("next");
        BuildFails();
        var junit = Path.Combine(_kata.Folder, "junit.xml");

        await _kata.RunAsync("verify", "--junit", junit);

        Validate(junit);
        var suite = System.Xml.Linq.XDocument.Load(junit).Root!.Element("testsuite")!;
        Assert.That(suite.Attribute("errors")!.Value, Is.EqualTo("1"));
        Assert.That(suite.Element("testcase")!.Element("error")!.Value, Does.Contain("error CS1002"));
        Assert.That(
            suite.Attribute("skipped")!.Value,
            Is.EqualTo(
                SpecCatalog
                    .Checks("sequential-download")
                    .Count.ToString(System.Globalization.CultureInfo.InvariantCulture)
            )
        );
    }

    [Test]
    public async Task Under_github_actions_failures_are_annotations_on_the_learners_file()
    {
        await TwoExercisesOneFailingAsync();
        _kata.Environment["GITHUB_ACTIONS"] = "true";
        _kata.Environment["GITHUB_WORKSPACE"] = Path.GetDirectoryName(_kata.Folder);

        await _kata.RunAsync("verify", "--all");

        var folder = Path.GetFileName(_kata.Folder);
        Assert.That(
            _kata.Output.Split('\n').Select(l => l.TrimEnd('\r')),
            Does.Contain(
                $"::error file={folder}/exercises/01-sequential-download/Program.cs,"
                    + "title=01-sequential-download%3A Downloads one file after another::"
                    + "Expected: one after another%0AObserved: two at once%0ALook at: the loop"
            )
        );
        Assert.That(_kata.Output, Does.Not.Contain("::error file=exercises/02"), "only failures are annotated");
    }

    [Test]
    public async Task A_compiler_error_under_github_actions_is_annotated_on_its_line()
    {
        await _kata.RunAsync("next");
        BuildFails();
        _kata.Environment["GITHUB_ACTIONS"] = "true";

        await _kata.RunAsync("verify");

        Assert.That(
            _kata.Output,
            Does.Contain(
                "::error file=exercises/01-sequential-download/Program.cs,line=3,col=1,"
                    + "title=01-sequential-download does not build::CS1002: ; expected"
            )
        );
    }

    [Test]
    public async Task Under_github_actions_the_step_summary_has_a_table_of_exercises_and_checks()
    {
        await TwoExercisesOneFailingAsync();
        var summary = Path.Combine(_kata.Folder, "summary.md");
        _kata.Environment["GITHUB_ACTIONS"] = "true";
        _kata.Environment["GITHUB_STEP_SUMMARY"] = summary;

        await _kata.RunAsync("verify", "--all");

        var text = await File.ReadAllTextAsync(summary);
        Assert.That(text, Does.Contain("## kata verify: 1 of 2 exercises passed, 3 of 4 points"));
        Assert.That(text, Does.Contain("| # | exercise | result | points |"));
        Assert.That(text, Does.Contain("| 1 | sequential-download | ❌ failed | 2 / 3 |"));
        Assert.That(text, Does.Contain("| 2 | process-download | ✅ passed | 1 / 1 |"));
        Assert.That(text, Does.Contain("| Downloads one file after another | ❌ failed | 0 / 1 |"));
        Assert.That(text, Does.Contain("Observed: two at once"));
    }

    [Test]
    public async Task Without_github_actions_there_are_no_workflow_commands()
    {
        await TwoExercisesOneFailingAsync();

        await _kata.RunAsync("verify", "--all");

        Assert.That(_kata.Output, Does.Not.Contain("::error"));
    }

    [Test]
    public void A_check_is_worth_the_points_its_spec_declares_and_one_by_default()
    {
        Assert.That(SpecCatalog.PointsOf(Method(nameof(PointSpecs.Worth_three))), Is.EqualTo(3));
        Assert.That(SpecCatalog.PointsOf(Method(nameof(PointSpecs.Worth_two_by_property))), Is.EqualTo(2));
        Assert.That(SpecCatalog.PointsOf(Method(nameof(PointSpecs.Worth_the_default))), Is.EqualTo(1));
        Assert.That(SpecCatalog.Checks("sequential-download"), Has.Count.GreaterThan(1));
        Assert.That(SpecCatalog.Checks("sequential-download")[0].Name, Is.EqualTo("Exits_with_code_zero"));
    }

    [Test]
    public void Output_is_capped_at_500_characters()
    {
        var capped = ResultsJson.Cap(new string('x', 2000));

        Assert.That(capped, Has.Length.EqualTo(500));
        Assert.That(capped, Does.EndWith("[output cut]"));
        Assert.That(ResultsJson.Cap("short"), Is.EqualTo("short"));
    }

    private async Task TwoExercisesOneFailingAsync()
    {
        await _kata.RunAsync("next");
        await _kata.RunAsync("next", "--skip");
        _kata
            .Specs.SetupSequence(s =>
                s.Run(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Action<CheckResult>?>())
            )
            .Returns(
                new SpecRun(
                    [
                        new CheckResult("Exits_with_code_zero", CheckStatus.Passed, null, TimeSpan.Zero) { Points = 2 },
                        new CheckResult("Downloads_one_file_after_another", CheckStatus.Failed, Failure, TimeSpan.Zero),
                    ],
                    TimeSpan.Zero,
                    TimeSpan.Zero
                )
            )
            .Returns(
                new SpecRun(
                    [new CheckResult("Starts_one_child_process_per_file", CheckStatus.Passed, null, TimeSpan.Zero)],
                    TimeSpan.Zero,
                    TimeSpan.Zero
                )
            );
    }

    private void BuildFails() =>
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

    private static void Validate(string path)
    {
        var schemas = new XmlSchemaSet();
        schemas.Add(null, Path.Combine(AppContext.BaseDirectory, "Schemas", "junit.xsd"));
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        using (var reader = XmlReader.Create(path, settings))
        {
            while (reader.Read()) { }
        }
        Assert.That(problems, Is.Empty, File.ReadAllText(path));
    }

    private static MethodInfo Method(string name) => typeof(PointSpecs).GetMethod(name)!;

    private static class PointSpecs
    {
        [Points(3)]
        public static void Worth_three() { }

        [Property("points", 2)]
        public static void Worth_two_by_property() { }

        public static void Worth_the_default() { }
    }
}

public sealed class TerminalTests
{
    [Test]
    public void Text_that_goes_to_a_file_or_a_CI_log_has_no_escape_codes_and_no_padding()
    {
        foreach (
            var variables in new[]
            {
                new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["NO_COLOR"] = "1" },
                new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" },
                new Dictionary<string, string?>(),
            }
        )
        {
            using var output = new StringWriter();
            var console = Console.Terminal.Create(
                output,
                redirected: true,
                new KataEnvironment(name => variables.GetValueOrDefault(name))
            );

            console.MarkupLine("[bold]bold[/] [dim]dim[/] [red]red[/]");
            console.Write(new Table().AddColumns("a", "b").AddRow("1", "a longer cell"));

            var text = output.ToString();
            // (Ordinal: a culture-aware search ignores control characters and would find ESC anywhere.)
            Assert.That(
                text.Contains('\u001b', StringComparison.Ordinal),
                Is.False,
                string.Join(",", variables.Keys) + text
            );
            Assert.That(text, Does.Contain("bold dim red"));
            Assert.That(text.Split('\n').Where(l => l.EndsWith(' ')), Is.Empty, "no line ends with padding");
        }
    }

    [Test]
    public void Spaces_inside_a_line_are_kept_even_when_it_arrives_in_pieces()
    {
        using var output = new StringWriter();
        using var trimmer = new Console.TrailingSpaceTrimmer(output);

        trimmer.Write("a  ");
        trimmer.Flush();
        trimmer.Write("b   \n  c \r\n");

        Assert.That(output.ToString(), Is.EqualTo("a  b\n  c\r\n"));
    }
}
