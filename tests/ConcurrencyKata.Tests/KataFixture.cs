using ConcurrencyKata.Catalog;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Verification;
using Moq;
using Spectre.Console;

namespace ConcurrencyKata.Tests;

/// <summary>A temporary folder to run kata commands in, a captured console, and fakes for the build and the specs.</summary>
internal sealed class KataFixture : IDisposable
{
    private readonly StringWriter _output = new();
    private readonly StringWriter _errors = new();

    public KataFixture()
    {
        Directory.CreateDirectory(Folder);
        Console = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(_output),
            }
        );
        Console.Profile.Width = 200;
        Errors = AnsiConsole.Create(
            new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(_errors),
            }
        );
        Errors.Profile.Width = 200;
        Builder
            .Setup(b =>
                b.BuildAsync(
                    It.IsAny<string>(),
                    It.IsAny<string>(),
                    It.IsAny<BuildOptions>(),
                    It.IsAny<CancellationToken>()
                )
            )
            .ReturnsAsync(new BuildResult(true, "/built/program", [], TimeSpan.FromSeconds(0.5)));
    }

    public static Course Course { get; } = Course.Load(Path.Combine(RepositoryRoot(), "kata"));

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "kata-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public IAnsiConsole Console { get; }

    /// <summary>Standard error: errors and warnings.</summary>
    public IAnsiConsole Errors { get; }
    public Mock<IProjectBuilder> Builder { get; } = new(MockBehavior.Strict);
    public Mock<ISpecRunner> Specs { get; } = new(MockBehavior.Strict);
    public Mock<ISubmissionGrader> Grader { get; } = new(MockBehavior.Strict);

    /// <summary>Everything printed: standard output, then standard error.</summary>
    public string Output => _output.ToString() + _errors.ToString();

    public string StandardOutput => _output.ToString();

    public string ErrorOutput => _errors.ToString();

    /// <summary>The environment variables the commands see: none of the machine's, so CI settings cannot leak in.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    public void SpecsReturn(params CheckResult[] checks) =>
        Specs
            .Setup(s =>
                s.Run(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Action<CheckResult>?>())
            )
            .Returns(new SpecRun(checks, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.2)));

    public async Task<int> RunAsync(params string[] args)
    {
        return await App().RunAsync([.. args, "--workspace", Folder]);
    }

    public async Task<int> RunWithoutWorkspaceOptionAsync(params string[] args) => await App().RunAsync(args);

    private Spectre.Console.Cli.CommandApp App() =>
        KataApp.Create(
            Console,
            () => Course,
            Builder.Object,
            Specs.Object,
            new FixedTime(),
            new KataEnvironment(name => Environment.GetValueOrDefault(name)),
            Grader.Object,
            Errors
        );

    public string ExerciseFile(string slug, string file) => Path.Combine(Folder, "exercises", slug, file);

    public void Dispose()
    {
        _output.Dispose();
        _errors.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "kata", "catalog.json")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 11, 25, 14, 30, 0, TimeSpan.Zero);

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
