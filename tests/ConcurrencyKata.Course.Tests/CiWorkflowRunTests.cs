using CliWrap;
using CliWrap.Buffered;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Reports;
using ConcurrencyKata.Workspace;
using YamlDotNet.RepresentationModel;

namespace ConcurrencyKata.Course.Tests;

/// <summary>
/// The CI files kata init writes, run as a CI runner would: the packed tool writes them into a new
/// repository, which is committed and cloned afresh; then each `run:` step (GitHub) or script line
/// (GitLab) runs in order in the clone, with an empty HOME (no NuGet cache, no tool installed) and no
/// kata on the PATH. What installs kata is the repository's own nuget.config and .kata/tools.
/// (Artifacts are copied between the grading jobs the way upload-artifact and download-artifact
/// lay them out.)
/// </summary>
[NonParallelizable, Category("Slow")]
public sealed class CiWorkflowRunTests
{
    private string _root = null!;

    [SetUp]
    public void Create()
    {
        _root = Path.Combine(Path.GetTempPath(), "kata-ci-run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_root, recursive: true);

    [TestCase("github"), TestCase("gitlab"), CancelAfter(900_000)]
    public async Task A_student_repository_installs_kata_from_itself_and_verifies_on_its_first_push(
        string system,
        CancellationToken cancellation
    )
    {
        var tool = await PackedTool.GetAsync(cancellation);
        var repository = Path.Combine(_root, "student");
        Directory.CreateDirectory(repository);
        await Kata(tool, repository, cancellation, "init", "--ci", system);
        await Kata(tool, repository, cancellation, "next");
        var exercise = Repository.Course.Find("sequential-download");
        File.Copy(
            Path.Combine(exercise.Directory, ".meta", "solution", "Program.cs"),
            Path.Combine(repository, "exercises", exercise.Slug, "Program.cs"),
            overwrite: true
        );
        var clone = await CommitAndCloneAsync(repository, cancellation);
        Assert.That(Directory.GetFiles(Path.Combine(clone, ".kata", "tools"), "*.nupkg"), Is.Not.Empty, "committed");

        var steps =
            system == "github"
                ? GitHubRuns(clone, ".github/workflows/kata.yml", "verify")
                : GitLabScript(clone, ".gitlab-ci.yml", "kata");
        Assert.That(steps, Is.Not.Empty);
        var summary = Path.Combine(_root, "step-summary.md");
        foreach (var step in steps)
        {
            await StepAsync(clone, step, cancellation, ("GITHUB_STEP_SUMMARY", summary), ("GITHUB_WORKSPACE", clone));
        }

        var results = ResultsJson.Read(Path.Combine(clone, "results.json"));
        Assert.That((results.Status, results.Score), Is.EqualTo(("pass", results.MaxScore)));
        Assert.That(File.Exists(Path.Combine(clone, "junit.xml")), Is.True);
    }

    [Test, CancelAfter(900_000)]
    public async Task A_teachers_grading_workflow_grades_three_submissions_in_shards_and_merges_one_gradebook(
        CancellationToken cancellation
    )
    {
        var tool = await PackedTool.GetAsync(cancellation);
        var repository = Path.Combine(_root, "class");
        Directory.CreateDirectory(repository);
        await Kata(tool, repository, cancellation, "init", "--ci", "github", "--grader", "--shards", "2");
        var exercise = Repository.Course.Find("sequential-download");
        var meta = Path.Combine(exercise.Directory, ".meta");
        var wrong = Directory.GetDirectories(Path.Combine(meta, "wrong")).Order(StringComparer.Ordinal).First();
        foreach (
            var (student, program) in new[]
            {
                ("ada", Path.Combine(meta, "solution", "Program.cs")),
                ("ben", Path.Combine(wrong, "Program.cs")),
                ("cy", Path.Combine(meta, "solution", "Program.cs")),
            }
        )
        {
            var workspace = LearnerWorkspace.Init(Path.Combine(repository, "submissions", student), Repository.Course);
            Scaffolder.Scaffold(workspace, exercise);
            File.Copy(program, workspace.ProgramPath(exercise), overwrite: true);
        }
        var clone = await CommitAndCloneAsync(repository, cancellation);
        var workflow = ".github/workflows/kata-grade.yml";

        var shards = Path.Combine(clone, "shards");
        foreach (var shard in new[] { "1", "2" })
        {
            foreach (var step in GitHubRuns(clone, workflow, "grade"))
            {
                await StepAsync(
                    clone,
                    step.Replace("${{ matrix.shard }}", shard, StringComparison.Ordinal),
                    cancellation
                );
            }
            // upload-artifact "grades-N", then download-artifact with pattern grades-* into shards/grades-N.
            CopyFolder(Path.Combine(clone, "grades-" + shard), Path.Combine(shards, "grades-" + shard));
            Directory.Delete(Path.Combine(clone, "grades-" + shard), recursive: true);
        }
        var summary = Path.Combine(_root, "step-summary.md");
        foreach (var step in GitHubRuns(clone, workflow, "merge"))
        {
            await StepAsync(clone, step, cancellation, ("GITHUB_STEP_SUMMARY", summary));
        }

        var rows = Gradebook.Read(Path.Combine(clone, "grades", "gradebook.csv"));
        Assert.That(
            rows.Select(r => (r.Student, r.Status)),
            Is.EqualTo(new[] { ("ada", "passed"), ("ben", "failed"), ("cy", "passed") })
        );
        Assert.That(
            Directory.GetFiles(Path.Combine(shards, "grades-1"), "gradebook.csv").Length
                + Directory.GetFiles(Path.Combine(shards, "grades-2"), "gradebook.csv").Length,
            Is.EqualTo(2),
            "each shard made a gradebook of its own"
        );
        var junit = System.Xml.Linq.XDocument.Load(Path.Combine(clone, "grades", "junit.xml"));
        Assert.That(
            junit.Root!.Elements("testsuite").Select(s => s.Attribute("name")!.Value),
            Is.EqualTo(new[] { "ada", "ben", "cy" })
        );
        Assert.That(File.ReadAllText(summary), Does.Contain("| ada |").And.Contain("| ben |").And.Contain("| cy |"));
    }

    [Test, CancelAfter(600_000)]
    public async Task The_packed_tool_follows_the_conventions_of_a_command_line_tool(CancellationToken cancellation)
    {
        var tool = await PackedTool.GetAsync(cancellation);
        var workspace = Path.Combine(_root, "learner");
        Directory.CreateDirectory(workspace);
        await Kata(tool, workspace, cancellation, "next");

        var typo = await RunAsync(tool.Kata, ["verify", "--al"], workspace, [], cancellation);
        Assert.That(typo.ExitCode, Is.EqualTo(2));
        Assert.That(typo.StandardError, Does.Contain("Did you mean --all?"));
        Assert.That(typo.StandardOutput, Is.Empty);

        var list = await RunAsync(
            tool.Kata,
            ["list"],
            workspace,
            [("GITHUB_ACTIONS", "true"), ("NO_COLOR", "1")],
            cancellation
        );
        Assert.That(list.StandardOutput, Does.Contain("sequential-download"));
        Assert.That(list.StandardOutput.Contains('\u001b', StringComparison.Ordinal), Is.False, "no escape code");
        Assert.That(list.StandardOutput.Split('\n').Where(l => l.EndsWith(' ')), Is.Empty, "no padding");

        var first = await RunAsync(tool.Kata, ["hint"], workspace, [], cancellation);
        var second = await RunAsync(tool.Kata, ["hint"], workspace, [], cancellation);
        Assert.That(first.StandardOutput, Does.Contain("Hint 1 of"));
        Assert.That(second.StandardOutput, Does.Contain("Hint 2 of").And.Not.Contain("Hint 1 of"));

        var json = await RunAsync(tool.Kata, ["list", "--json"], workspace, [], cancellation);
        using var document = System.Text.Json.JsonDocument.Parse(json.StandardOutput);
        Assert.That(document.RootElement.GetArrayLength(), Is.EqualTo(Repository.Course.Exercises.Count));
        Assert.That(document.RootElement[0].GetProperty("state").GetString(), Is.EqualTo("current"));

        var refused = await RunAsync(tool.Kata, ["next"], workspace, [], cancellation);
        Assert.That((refused.ExitCode, refused.StandardOutput), Is.EqualTo((2, "")));
        Assert.That(refused.StandardError, Does.Contain("kata next --skip"));
    }

    private static async Task Kata(
        PackedTool tool,
        string directory,
        CancellationToken cancellation,
        params string[] arguments
    )
    {
        var result = await RunAsync(tool.Kata, arguments, directory, [], cancellation);
        Assert.That(
            result.ExitCode,
            Is.EqualTo(0),
            $"kata {string.Join(' ', arguments)}:\n{result.StandardOutput}{result.StandardError}"
        );
    }

    private async Task<string> CommitAndCloneAsync(string repository, CancellationToken cancellation)
    {
        string[] identity = ["-c", "user.name=Teacher", "-c", "user.email=teacher@example.edu"];
        foreach (
            var arguments in new[]
            {
                new[] { "init", "-q", "-b", "main" },
                ["add", "-A"],
                [.. identity, "commit", "-q", "-m", "start"],
            }
        )
        {
            var git = await RunAsync("git", arguments, repository, [], cancellation);
            Assert.That(git.ExitCode, Is.EqualTo(0), git.StandardError);
        }
        var clone = Path.Combine(_root, Path.GetFileName(repository) + "-clone");
        var cloned = await RunAsync("git", ["clone", "-q", repository, clone], _root, [], cancellation);
        Assert.That(cloned.ExitCode, Is.EqualTo(0), cloned.StandardError);
        return clone;
    }

    /// <summary>One step as a runner's shell runs it (bash -e), in an empty HOME and without any kata on the PATH.</summary>
    private async Task StepAsync(
        string clone,
        string step,
        CancellationToken cancellation,
        params (string, string)[] variables
    )
    {
        var home = Path.Combine(_root, "home");
        Directory.CreateDirectory(home);
        var path = string.Join(
            ':',
            (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':')
                .Where(p =>
                    !p.Contains(".dotnet/tools", StringComparison.Ordinal) && !File.Exists(Path.Combine(p, "kata"))
                )
        );
        var result = await RunAsync(
            "bash",
            ["-e", "-c", step],
            clone,
            [
                ("HOME", home),
                ("PATH", path),
                ("DOTNET_CLI_HOME", home),
                ("NUGET_PACKAGES", Path.Combine(home, ".nuget", "packages")),
                ("DOTNET_NOLOGO", "1"),
                ("DOTNET_CLI_TELEMETRY_OPTOUT", "1"),
                ("CI", "true"),
                ("GITHUB_ACTIONS", "true"),
                .. variables,
            ],
            cancellation
        );
        TestContext.Out.WriteLine($"$ {step}\n{result.StandardOutput}{result.StandardError}");
        Assert.That(result.ExitCode, Is.EqualTo(0), $"{step}\n{result.StandardOutput}{result.StandardError}");
    }

    private static async Task<BufferedCommandResult> RunAsync(
        string program,
        string[] arguments,
        string directory,
        (string Name, string Value)[] variables,
        CancellationToken cancellation
    ) =>
        await Cli.Wrap(program)
            .WithArguments(arguments)
            .WithWorkingDirectory(directory)
            .WithEnvironmentVariables(e =>
            {
                e.Set("NO_COLOR", "1");
                foreach (var (name, value) in variables)
                {
                    e.Set(name, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellation);

    private static List<string> GitHubRuns(string clone, string workflow, string job) =>
        Steps(Yaml(Path.Combine(clone, workflow)), "jobs", job, "steps")
            .Children.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run"))
            .Where(s => !s.Children.ContainsKey("if") || ((YamlScalarNode)s["if"]).Value == "always()")
            .Select(s => ((YamlScalarNode)s["run"]).Value!)
            .ToList();

    private static List<string> GitLabScript(string clone, string pipeline, string job) =>
        Steps(Yaml(Path.Combine(clone, pipeline)), job, "script")
            .Children.Select(n => ((YamlScalarNode)n).Value!)
            .ToList();

    private static YamlSequenceNode Steps(YamlMappingNode root, params string[] keys)
    {
        YamlNode node = root;
        foreach (var key in keys)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return (YamlSequenceNode)node;
    }

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
