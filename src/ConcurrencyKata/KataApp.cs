using ConcurrencyKata.Catalog;
using ConcurrencyKata.Commands;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata;

/// <summary>Wires the commands. Tests build the same app with their own console and fakes.</summary>
public static class KataApp
{
    public static CommandApp Create(
        IAnsiConsole console,
        Func<Course> course,
        IProjectBuilder? builder = null,
        ISpecRunner? specs = null,
        TimeProvider? time = null,
        KataEnvironment? environment = null,
        ISubmissionGrader? grader = null
    )
    {
        var registrar = new TypeRegistrar();
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        registrar.RegisterLazy(typeof(Course), course);
        registrar.RegisterInstance(typeof(TimeProvider), time ?? TimeProvider.System);
        registrar.RegisterInstance(typeof(KataEnvironment), environment ?? KataEnvironment.Process);
        registrar.RegisterLazy(
            typeof(Verifier),
            () => new Verifier(course(), builder ?? new DotnetProjectBuilder(), specs ?? new NUnitSpecRunner())
        );
        registrar.RegisterLazy(typeof(ISubmissionGrader), () => grader ?? new ProcessSubmissionGrader(course()));
        var app = new CommandApp(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName("kata");
            config.UseAssemblyInformationalVersion();
            config.ConfigureConsole(console);
            config.SetExceptionHandler((exception, _) => HandleError(console, exception));
            config.AddCommand<NextCommand>("next").WithExample("next").WithExample("next", "--skip");
            config
                .AddCommand<VerifyCommand>("verify")
                .WithExample("verify")
                .WithExample("verify", "02-process-download")
                .WithExample("verify", "--all")
                .WithExample("verify", "--all", "--results", "results.json", "--junit", "junit.xml");
            config.AddCommand<HintCommand>("hint").WithExample("hint").WithExample("hint", "--lang", "zh-CN");
            config.AddCommand<ListCommand>("list");
            config.AddCommand<ResetCommand>("reset").WithExample("reset", "02-process-download");
            config
                .AddCommand<GradeCommand>("grade")
                .WithExample("grade", "submissions")
                .WithExample("grade", "submissions", "--exercise", "1", "--shard", "2/4", "--out", "grades-2")
                .WithExample("grade", "--merge", "grades-1", "grades-2", "grades-3", "grades-4", "--out", "grades");
            config
                .AddCommand<InitCommand>("init")
                .WithExample("init")
                .WithExample("init", "--ci", "github")
                .WithExample("init", "--ci", "gitlab");
        });
        return app;
    }

    private static int HandleError(IAnsiConsole console, Exception exception)
    {
        switch (exception)
        {
            case KataException expected:
                console.MarkupLine("[red]error:[/] " + Markup.Escape(expected.Message));
                return expected.ExitCode;
            case CommandParseException or CommandRuntimeException:
                console.MarkupLine("[red]error:[/] " + Markup.Escape(exception.Message));
                console.MarkupLine("[dim]Run 'kata --help' for the commands and their options.[/]");
                return ExitCodes.Usage;
            case IOException or UnauthorizedAccessException:
                console.MarkupLine("[red]error:[/] " + Markup.Escape(exception.Message));
                return ExitCodes.Usage;
            default:
                console.MarkupLine("[red]unexpected error:[/] " + Markup.Escape(exception.ToString()));
                return 70;
        }
    }
}
