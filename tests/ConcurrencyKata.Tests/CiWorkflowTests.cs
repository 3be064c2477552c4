using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace ConcurrencyKata.Tests;

/// <summary><c>kata init --ci</c>: the workflow a student repository runs on each push.</summary>
public sealed class CiWorkflowTests
{
    private KataFixture _kata = null!;

    private string _packages = null!;

    [SetUp]
    public void Create()
    {
        _kata = new KataFixture();
        // The tests run kata from a build, which has no package of its own: stand-ins for what dotnet pack writes.
        _packages = Path.Combine(_kata.Folder, "..", Path.GetFileName(_kata.Folder) + "-packages");
        Directory.CreateDirectory(_packages);
        foreach (var id in new[] { "ConcurrencyKata", "ConcurrencyKata.linux-x64", "ConcurrencyKata.any" })
        {
            File.WriteAllText(Path.Combine(_packages, $"{id}.{Workspace.CiWorkflow.ToolVersion()}.nupkg"), id);
        }
        File.WriteAllText(Path.Combine(_packages, "ConcurrencyKata.0.0.1.nupkg"), "another version");
    }

    [TearDown]
    public void Clean()
    {
        _kata.Dispose();
        Directory.Delete(_packages, recursive: true);
    }

    [Test]
    public async Task Kata_init_ci_github_writes_a_workflow_that_restores_the_pinned_tool_and_verifies_everything()
    {
        var exit = await _kata.RunAsync("init", "--ci", "github", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var workflow = Yaml(Path.Combine(_kata.Folder, ".github", "workflows", "kata.yml"));
        Assert.That(workflow.Children.ContainsKey("on"), Is.True);
        var steps = (YamlSequenceNode)Node(workflow, "jobs", "verify", "steps");
        var runs = steps
            .Children.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run"))
            .Select(s => ((YamlScalarNode)s["run"]).Value)
            .ToList();
        Assert.That(
            runs,
            Is.EqualTo(
                new[] { "dotnet tool restore", "dotnet kata verify --all --results results.json --junit junit.xml" }
            )
        );
        var uses = steps
            .Children.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("uses"))
            .Select(s => ((YamlScalarNode)s["uses"]).Value);
        Assert.That(
            uses,
            Does.Contain("actions/checkout@v6")
                .And.Contain("actions/setup-dotnet@v5")
                .And.Contain("actions/upload-artifact@v7")
        );
        Assert.That(((YamlScalarNode)Node(workflow, "permissions", "contents")).Value, Is.EqualTo("read"));
        AssertPinsKata();
        AssertCarriesThePackages();
    }

    [Test]
    public async Task Kata_init_ci_gitlab_writes_a_pipeline_with_the_junit_report()
    {
        var exit = await _kata.RunAsync("init", "--ci", "gitlab", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var pipeline = Yaml(Path.Combine(_kata.Folder, ".gitlab-ci.yml"));
        var script = ((YamlSequenceNode)Node(pipeline, "kata", "script")).Children.Select(n =>
            ((YamlScalarNode)n).Value
        );
        Assert.That(
            script,
            Is.EqualTo(
                new[] { "dotnet tool restore", "dotnet kata verify --all --results results.json --junit junit.xml" }
            )
        );
        Assert.That(
            ((YamlScalarNode)Node(pipeline, "kata", "artifacts", "reports", "junit")).Value,
            Is.EqualTo("junit.xml")
        );
        Assert.That(((YamlScalarNode)Node(pipeline, "kata", "artifacts", "when")).Value, Is.EqualTo("always"));
        AssertPinsKata();
        AssertCarriesThePackages();
    }

    [Test]
    public async Task Kata_init_ci_in_an_existing_workspace_keeps_a_workflow_already_there()
    {
        await _kata.RunAsync("next");
        var workflow = Path.Combine(_kata.Folder, ".gitlab-ci.yml");
        await File.WriteAllTextAsync(workflow, "# the teacher's own\n");

        var exit = await _kata.RunAsync("init", "--ci", "gitlab", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(await File.ReadAllTextAsync(workflow), Is.EqualTo("# the teacher's own\n"));
        Assert.That(_kata.Output, Does.Contain("was already there and was kept"));
        Assert.That(File.Exists(_kata.ExerciseFile("01-sequential-download", "Program.cs")), Is.True);
    }

    [Test]
    public async Task Kata_init_ci_warns_when_the_workspace_is_not_the_root_of_its_repository()
    {
        Directory.CreateDirectory(Path.Combine(_kata.Folder, ".git"));
        var nested = Path.Combine(_kata.Folder, "kata-work");

        var exit = await _kata.RunWithoutWorkspaceOptionAsync(
            "init",
            "--ci",
            "github",
            "--packages",
            _packages,
            "--workspace",
            nested
        );

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_kata.Output, Does.Contain("not at its root").And.Contain(".github/workflows/kata.yml"));
    }

    [Test]
    public async Task Kata_init_ci_at_the_root_of_a_repository_gives_no_warning()
    {
        Directory.CreateDirectory(Path.Combine(_kata.Folder, ".git"));

        var exit = await _kata.RunAsync("init", "--ci", "github", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_kata.Output, Does.Not.Contain("not at its root"));
    }

    [Test]
    public async Task An_unknown_ci_system_is_a_usage_error()
    {
        var exit = await _kata.RunAsync("init", "--ci", "jenkins");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.Output, Does.Contain("--ci takes github or gitlab"));
    }

    [Test]
    public async Task Kata_init_ci_from_a_build_without_packages_says_how_to_give_them_and_writes_nothing()
    {
        var exit = await _kata.RunAsync("init", "--ci", "github");

        Assert.That(exit, Is.EqualTo(2));
        Assert.That(_kata.ErrorOutput, Does.Contain("--packages DIR").And.Contain("--feed URL"));
        Assert.That(File.Exists(Path.Combine(_kata.Folder, ".github", "workflows", "kata.yml")), Is.False);
        Assert.That(Directory.Exists(Path.Combine(_kata.Folder, ".kata")), Is.False);
    }

    [Test]
    public async Task Kata_init_ci_with_a_feed_names_it_and_signs_in_with_the_token_secret_when_it_is_set()
    {
        var exit = await _kata.RunAsync("init", "--ci", "github", "--feed", "https://feed.example.edu/v3/index.json");

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(
            File.ReadAllText(Path.Combine(_kata.Folder, "nuget.config")),
            Does.Contain("<add key=\"kata\" value=\"https://feed.example.edu/v3/index.json\" />")
        );
        Assert.That(Directory.Exists(Path.Combine(_kata.Folder, ".kata", "tools")), Is.False);
        var workflow = Yaml(Path.Combine(_kata.Folder, ".github", "workflows", "kata.yml"));
        var signIn = ((YamlSequenceNode)Node(workflow, "jobs", "verify", "steps"))
            .Children.OfType<YamlMappingNode>()
            .Single(s =>
                s.Children.ContainsKey("name")
                && ((YamlScalarNode)s["name"]).Value!.StartsWith("Sign in", StringComparison.Ordinal)
            );
        Assert.That(((YamlScalarNode)signIn["if"]).Value, Does.Contain("env.KATA_FEED_TOKEN != ''"));
        Assert.That(((YamlScalarNode)signIn["run"]).Value, Does.Contain("dotnet nuget update source kata"));
        Assert.That(
            ((YamlScalarNode)Node(workflow, "jobs", "verify", "env", "KATA_FEED_TOKEN")).Value,
            Is.EqualTo("${{ secrets.KATA_FEED_TOKEN }}")
        );
    }

    [Test]
    public async Task Kata_init_ci_grader_writes_a_matrix_of_shards_and_a_merge_job_and_no_workspace()
    {
        var exit = await _kata.RunAsync("init", "--ci", "github", "--grader", "--shards", "3", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(
            Directory.Exists(Path.Combine(_kata.Folder, "exercises")),
            Is.False,
            "a teacher's repository is no workspace"
        );
        var workflow = Yaml(Path.Combine(_kata.Folder, ".github", "workflows", "kata-grade.yml"));
        Assert.That(((YamlScalarNode)Node(workflow, "permissions", "contents")).Value, Is.EqualTo("read"));
        var shards = ((YamlSequenceNode)Node(workflow, "jobs", "grade", "strategy", "matrix", "shard")).Children.Select(
            n => ((YamlScalarNode)n).Value
        );
        Assert.That(shards, Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(((YamlScalarNode)Node(workflow, "jobs", "merge", "needs")).Value, Is.EqualTo("grade"));
        foreach (var job in new[] { "grade", "merge" })
        {
            Assert.That(
                int.Parse(((YamlScalarNode)Node(workflow, "jobs", job, "timeout-minutes")).Value!),
                Is.GreaterThan(0)
            );
            var uploads = ((YamlSequenceNode)Node(workflow, "jobs", job, "steps"))
                .Children.OfType<YamlMappingNode>()
                .Where(s =>
                    s.Children.ContainsKey("uses")
                    && ((YamlScalarNode)s["uses"]).Value!.StartsWith(
                        "actions/upload-artifact",
                        StringComparison.Ordinal
                    )
                )
                .ToList();
            Assert.That(uploads, Is.Not.Empty, job);
            Assert.That(uploads.Select(u => ((YamlScalarNode)u["if"]).Value), Is.All.EqualTo("always()"), job);
        }
        var runs = Runs(workflow, "merge");
        Assert.That(runs, Does.Contain("dotnet kata grade --merge shards/grades-* --out grades"));
        Assert.That(runs, Does.Contain("cat grades/summary.md >> \"$GITHUB_STEP_SUMMARY\""));
        Assert.That(
            Runs(workflow, "grade").Single(r => r.Contains("kata grade", StringComparison.Ordinal)),
            Does.Contain("--shard ${{ matrix.shard }}/3")
        );
        AssertPinsKata();
        AssertCarriesThePackages();
    }

    [Test]
    public async Task Kata_init_ci_gitlab_grader_runs_the_shards_as_parallel_jobs()
    {
        var exit = await _kata.RunAsync("init", "--ci", "gitlab", "--grader", "--shards", "5", "--packages", _packages);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        var pipeline = Yaml(Path.Combine(_kata.Folder, ".gitlab-ci.yml"));
        Assert.That(((YamlScalarNode)Node(pipeline, "kata-grade", "parallel")).Value, Is.EqualTo("5"));
        Assert.That(
            ((YamlScalarNode)Node(pipeline, "kata-merge", "artifacts", "reports", "junit")).Value,
            Is.EqualTo("grades/junit.xml")
        );
    }

    private static List<string> Runs(YamlMappingNode workflow, string job) =>
        ((YamlSequenceNode)Node(workflow, "jobs", job, "steps"))
            .Children.OfType<YamlMappingNode>()
            .Where(s => s.Children.ContainsKey("run"))
            .Select(s => ((YamlScalarNode)s["run"]).Value!)
            .ToList();

    private void AssertCarriesThePackages()
    {
        var version = Workspace.CiWorkflow.ToolVersion();
        Assert.That(
            Directory.GetFiles(Path.Combine(_kata.Folder, ".kata", "tools"), "*.nupkg").Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "", ".linux-x64", ".any" }.Select(rid => $"concurrencykata{rid}.{version}.nupkg")),
            "this version's packages, not another's"
        );
        Assert.That(
            File.ReadAllText(Path.Combine(_kata.Folder, "nuget.config")),
            Does.Contain("<add key=\"kata\" value=\".kata/tools\" />").And.Not.Contain("<clear")
        );
        Assert.That(
            File.ReadAllText(Path.Combine(_kata.Folder, ".kata", "tools", ".gitignore")),
            Is.EqualTo("!*.nupkg\n")
        );
    }

    private void AssertPinsKata()
    {
        using var manifest = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(_kata.Folder, ".config", "dotnet-tools.json"))
        );
        var tool = manifest.RootElement.GetProperty("tools").GetProperty("concurrencykata");
        Assert.That(tool.GetProperty("commands")[0].GetString(), Is.EqualTo("kata"));
        Assert.That(tool.GetProperty("version").GetString(), Does.Match(@"^\d+\.\d+\.\d+"));
    }

    private static YamlMappingNode Yaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode Node(YamlMappingNode root, params string[] keys)
    {
        YamlNode node = root;
        foreach (var key in keys)
        {
            node = ((YamlMappingNode)node)[key];
        }
        return node;
    }
}
