using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace ConcurrencyKata.Tests;

/// <summary><c>kata init --ci</c>: the workflow a student repository runs on each push.</summary>
public sealed class CiWorkflowTests
{
    private KataFixture _kata = null!;

    [SetUp]
    public void Create() => _kata = new KataFixture();

    [TearDown]
    public void Clean() => _kata.Dispose();

    [Test]
    public async Task Kata_init_ci_github_writes_a_workflow_that_restores_the_pinned_tool_and_verifies_everything()
    {
        var exit = await _kata.RunAsync("init", "--ci", "github");

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
        Assert.That(uses, Does.Contain("actions/checkout@v4").And.Contain("actions/setup-dotnet@v4"));
        AssertPinsKata();
    }

    [Test]
    public async Task Kata_init_ci_gitlab_writes_a_pipeline_with_the_junit_report()
    {
        var exit = await _kata.RunAsync("init", "--ci", "gitlab");

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
    }

    [Test]
    public async Task Kata_init_ci_in_an_existing_workspace_keeps_a_workflow_already_there()
    {
        await _kata.RunAsync("next");
        var workflow = Path.Combine(_kata.Folder, ".gitlab-ci.yml");
        await File.WriteAllTextAsync(workflow, "# the teacher's own\n");

        var exit = await _kata.RunAsync("init", "--ci", "gitlab");

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

        var exit = await _kata.RunWithoutWorkspaceOptionAsync("init", "--ci", "github", "--workspace", nested);

        Assert.That(exit, Is.EqualTo(0), _kata.Output);
        Assert.That(_kata.Output, Does.Contain("not at its root").And.Contain(".github/workflows/kata.yml"));
    }

    [Test]
    public async Task Kata_init_ci_at_the_root_of_a_repository_gives_no_warning()
    {
        Directory.CreateDirectory(Path.Combine(_kata.Folder, ".git"));

        var exit = await _kata.RunAsync("init", "--ci", "github");

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
