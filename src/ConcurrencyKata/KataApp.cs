using ConcurrencyKata.Catalog;
using ConcurrencyKata.Commands;
using ConcurrencyKata.Grading;
using ConcurrencyKata.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ConcurrencyKata;

/// <summary>Wires the commands. Tests build the same app with their own console and fakes.</summary>
public static partial class KataApp
{
    public static CommandApp Create(
        IAnsiConsole console,
        Func<Course> course,
        IProjectBuilder? builder = null,
        ISpecRunner? specs = null,
        TimeProvider? time = null,
        KataEnvironment? environment = null,
        ISubmissionGrader? grader = null,
        IAnsiConsole? errors = null
    )
    {
        var registrar = new TypeRegistrar();
        var errorConsole = new ErrorConsole(errors ?? console);
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        registrar.RegisterInstance(typeof(ErrorConsole), errorConsole);
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
            // A mistyped option is an error, not an argument silently ignored.
            config.UseStrictParsing();
            config.SetExceptionHandler((exception, _) => HandleError(errorConsole.Console, exception));
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

    /// <summary>The long options of a command (its settings type), for "did you mean" on a mistyped one.</summary>
    private static IEnumerable<string> OptionsOf(Type settings) =>
        settings
            .GetProperties()
            .SelectMany(p =>
                p.GetCustomAttributes(typeof(CommandOptionAttribute), inherit: true).Cast<CommandOptionAttribute>()
            )
            .SelectMany(o => o.LongNames)
            .Append("help")
            .Distinct(StringComparer.Ordinal);

    /// <summary>The settings type of each command, by name.</summary>
    private static readonly Dictionary<string, Type> Commands = new(StringComparer.Ordinal)
    {
        ["next"] = typeof(NextCommand.Settings),
        ["verify"] = typeof(VerifyCommand.Settings),
        ["hint"] = typeof(HintCommand.Settings),
        ["list"] = typeof(ListCommand.Settings),
        ["reset"] = typeof(ResetCommand.Settings),
        ["grade"] = typeof(GradeCommand.Settings),
        ["init"] = typeof(InitCommand.Settings),
    };

    /// <summary>
    /// The option meant by a mistyped one, among the options of the command given in
    /// <paramref name="args"/>: the only one it starts, or the nearest within two edits.
    /// </summary>
    internal static string? Suggest(string typed, IEnumerable<string> args)
    {
        typed = typed.TrimStart('-');
        var command = args.FirstOrDefault(Commands.ContainsKey);
        var options = (command is null ? [] : OptionsOf(Commands[command])).Append("version").ToList();
        var prefixed = options.Where(o => o.StartsWith(typed, StringComparison.Ordinal)).ToList();
        if (typed.Length > 0 && prefixed.Count == 1)
        {
            return prefixed[0];
        }
        return options
            .Select(o => (Option: o, Distance: Distance(typed, o)))
            .Where(c => c.Distance <= 2 && c.Distance < c.Option.Length)
            .OrderBy(c => c.Distance)
            .Select(c => c.Option)
            .FirstOrDefault();
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    private static int HandleError(IAnsiConsole console, Exception exception)
    {
        switch (exception)
        {
            case KataException expected:
                console.MarkupLine("[red]error:[/] " + Markup.Escape(expected.Message));
                return expected.ExitCode;
            case CommandAppException usage:
                // Spectre's own rendering shows the command line with the wrong part marked and,
                // for a mistyped command, "Did you mean ...?".
                if (usage.Pretty is { } pretty)
                {
                    console.Write(pretty);
                }
                else
                {
                    console.MarkupLine("[red]error:[/] " + Markup.Escape(usage.Message));
                }
                if (
                    UnknownOption().Match(usage.Message) is { Success: true } unknown
                    && Suggest(unknown.Groups[1].Value, Environment.GetCommandLineArgs().Skip(1)) is { } suggestion
                )
                {
                    console.MarkupLine($"Did you mean [bold]--{Markup.Escape(suggestion)}[/]?");
                }
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

    [System.Text.RegularExpressions.GeneratedRegex("Unknown option '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex UnknownOption();
}

/// <summary>Standard error, for errors and warnings; results go to the <see cref="IAnsiConsole"/>.</summary>
public sealed record ErrorConsole(IAnsiConsole Console);
