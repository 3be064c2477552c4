using System.Globalization;
using System.Reflection;

namespace ConcurrencyKata.Workspace;

/// <summary>Where CI gets kata from: the packages carried in the repository, or a feed of the teacher's.</summary>
public abstract record ToolSource
{
    /// <summary>The repository carries the tool's packages in <see cref="CiWorkflow.ToolsFolder"/>: no feed needed, offline too.</summary>
    public sealed record Bundled(IReadOnlyList<string> Packages) : ToolSource;

    /// <summary>A NuGet feed that serves ConcurrencyKata; a token secret, when set in CI, authenticates to it.</summary>
    public sealed record Feed(string Url) : ToolSource;
}

/// <summary>
/// The CI files kata init writes: for a student's repository, a workflow that installs the kata
/// version pinned in .config/dotnet-tools.json and verifies every exercise; for a teacher's
/// repository of submissions, a workflow that grades them in shards on CI runners and merges the
/// shards into one gradebook. Both install kata from a source that needs no public feed (see
/// <see cref="ToolSource"/>), through the nuget.config beside them.
/// </summary>
public static class CiWorkflow
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string VerifyCommandLine = "dotnet kata verify --all --results results.json --junit junit.xml";

    /// <summary>Where a repository carries the tool's packages, relative to its root.</summary>
    public static readonly string ToolsFolder = Path.Combine(".kata", "tools");

    /// <summary>The nuget.config key of the source kata is installed from.</summary>
    public const string SourceName = "kata";

    /// <summary>The CI secret (GitHub) or variable (GitLab) holding a token for an authenticated feed.</summary>
    public const string TokenSecret = "KATA_FEED_TOKEN";

    public static IReadOnlyList<string> Systems { get; } = [GitHub, GitLab];

    /// <summary>Where the student workflow goes, relative to the repository root.</summary>
    public static string RelativePath(string system) =>
        system == GitHub ? Path.Combine(".github", "workflows", "kata.yml") : ".gitlab-ci.yml";

    /// <summary>Where the grading workflow goes, relative to the teacher's repository root.</summary>
    public static string GraderRelativePath(string system) =>
        system == GitHub ? Path.Combine(".github", "workflows", "kata-grade.yml") : ".gitlab-ci.yml";

    public static string Content(string system, ToolSource source) =>
        system == GitHub ? GitHubWorkflow(source) : GitLabPipeline(source);

    public static string GraderContent(string system, ToolSource source, int shards, string submissions) =>
        system == GitHub ? GitHubGrader(source, shards, submissions) : GitLabGrader(source, shards, submissions);

    /// <summary>The nuget.config that names the source kata comes from (added to the machine's sources, not replacing them).</summary>
    public static string NuGetConfig(ToolSource source) =>
        $$"""
            <?xml version="1.0" encoding="utf-8"?>
            <!-- Written by kata init: 'dotnet tool restore' installs kata from here ({{(
                source is ToolSource.Feed ? "the teacher's feed" : "the packages this repository carries"
            )}}). -->
            <configuration>
              <packageSources>
                <add key="{{SourceName}}" value="{{SourceValue(source)}}" />
              </packageSources>
            </configuration>

            """;

    private static string SourceValue(ToolSource source) =>
        source switch
        {
            ToolSource.Feed feed => System.Security.SecurityElement.Escape(feed.Url),
            _ => ToolsFolder.Replace('\\', '/'),
        };

    /// <summary>The local tool manifest pinning this version of kata, so CI installs what the teacher used.</summary>
    public static string ToolManifest() =>
        $$"""
            {
              "version": 1,
              "isRoot": true,
              "tools": {
                "concurrencykata": {
                  "version": "{{ToolVersion()}}",
                  "commands": ["kata"],
                  "rollForward": false
                }
              }
            }

            """;

    public static string ToolVersion()
    {
        var informational =
            typeof(CiWorkflow)
                .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()
                ?.InformationalVersion
            ?? "0.1.0";
        return informational.Split('+')[0];
    }

    /// <summary>The file names (ConcurrencyKata.1.2.3.nupkg and the platform ones) of this version's packages in a folder.</summary>
    public static IReadOnlyList<string> PackagesIn(string folder)
    {
        var version = ToolVersion();
        return Directory.Exists(folder)
            ? Directory
                .EnumerateFiles(folder, "*.nupkg")
                .Where(p =>
                {
                    var name = Path.GetFileName(p);
                    return name.StartsWith("concurrencykata.", StringComparison.OrdinalIgnoreCase)
                        && name.EndsWith($".{version}.nupkg", StringComparison.OrdinalIgnoreCase);
                })
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
    }

    /// <summary>
    /// The packages this kata was installed from, when it was: a global or local tool keeps each
    /// package's .nupkg beside its files (…/&lt;id&gt;/&lt;version&gt;/&lt;id&gt;.&lt;version&gt;.nupkg), the package
    /// users name and the platform one it chose. Empty for kata run from a build.
    /// </summary>
    public static IReadOnlyList<string> InstalledPackages(string? baseDirectory = null)
    {
        var version = ToolVersion();
        for (
            var directory = new DirectoryInfo(baseDirectory ?? AppContext.BaseDirectory);
            directory?.Parent?.Parent is not null;
            directory = directory.Parent
        )
        {
            if (directory.Name != version || PackagesIn(directory.FullName).Count == 0)
            {
                continue;
            }
            // directory is <root>/<id>/<version>; the sibling ids hold the other packages.
            var root = directory.Parent!.Parent!;
            return root.EnumerateDirectories("concurrencykata*")
                .SelectMany(id => PackagesIn(Path.Combine(id.FullName, version)))
                .ToList();
        }
        return [];
    }

    private static string Checkout => "actions/checkout@v6";
    private static string SetupDotnet => "actions/setup-dotnet@v5";
    private static string Upload => "actions/upload-artifact@v7";
    private static string Download => "actions/download-artifact@v8";

    /// <summary>GitHub steps that set up .NET and install kata (with the feed's token, when there is one).</summary>
    private static string GitHubInstall(ToolSource source, string indent)
    {
        var steps = $$"""
            - uses: {{Checkout}}
            - uses: {{SetupDotnet}}
              with:
                dotnet-version: "10.0.x"

            """;
        if (source is ToolSource.Feed)
        {
            steps += $$$"""
                - name: Sign in to the kata feed (when the secret {{{TokenSecret}}} is set)
                  if: ${{ env.{{{TokenSecret}}} != '' }}
                  run: dotnet nuget update source {{{SourceName}}} --username kata --password "${{{TokenSecret}}}" --store-password-in-clear-text --configfile nuget.config

                """;
        }
        steps += """
            - name: Install kata (the version pinned in .config/dotnet-tools.json)
              run: dotnet tool restore

            """;
        return Indent(steps, indent);
    }

    private static string GitHubEnvironment(ToolSource source) =>
        "DOTNET_NOLOGO: \"1\"\nDOTNET_CLI_TELEMETRY_OPTOUT: \"1\"\n"
        + (source is ToolSource.Feed ? $"{TokenSecret}: ${{{{ secrets.{TokenSecret} }}}}\n" : "");

    private static string GitHubWorkflow(ToolSource source) =>
        $$"""
            # Verifies every exercise on each push with the kata version pinned in .config/dotnet-tools.json,
            # installed from {{Origin(source)}}.
            # Failed checks show as annotations on your Program.cs, and the run's summary has a table of them.
            name: kata

            on:
              push:
              pull_request:
              workflow_dispatch:

            permissions:
              contents: read

            jobs:
              verify:
                runs-on: ubuntu-latest
                timeout-minutes: 30
                env:
            {{Indent(GitHubEnvironment(source), "      ")}}    steps:
            {{GitHubInstall(source, "      ")}}      - name: Verify every exercise
                    run: {{VerifyCommandLine}}
                  - name: Keep the reports
                    if: always()
                    uses: {{Upload}}
                    with:
                      name: kata-results
                      path: |
                        results.json
                        junit.xml
                      if-no-files-found: ignore

            """;

    private static string GitLabInstall(ToolSource source) =>
        (
            source is ToolSource.Feed
                ? $"    - 'if [ -n \"${TokenSecret}\" ]; then dotnet nuget update source {SourceName} --username kata --password \"${TokenSecret}\" --store-password-in-clear-text --configfile nuget.config; fi'\n"
                : ""
        ) + "    - dotnet tool restore\n";

    private static string GitLabPipeline(ToolSource source) =>
        $$"""
            # Verifies every exercise on each push with the kata version pinned in .config/dotnet-tools.json,
            # installed from {{Origin(source)}}.
            # The checks show in the pipeline's Tests tab (JUnit report); results.json is kept as an artifact.
            kata:
              image: mcr.microsoft.com/dotnet/sdk:10.0
              timeout: 30m
              variables:
                DOTNET_NOLOGO: "1"
                DOTNET_CLI_TELEMETRY_OPTOUT: "1"
              script:
            {{GitLabInstall(source)}}    - {{VerifyCommandLine}}
              artifacts:
                when: always
                paths:
                  - results.json
                  - junit.xml
                reports:
                  junit: junit.xml

            """;

    /// <summary>
    /// The grading command of one shard. The verifier isolates a submission's programs (a user of
    /// their own, only their run folder writable) when it runs as root, so on a runner whose user is
    /// not root it is started through sudo where sudo is there.
    /// </summary>
    private static string GradeShard(string submissions, string shard, string total, string output) =>
        $"as_root=; if [ \"$(id -u)\" -ne 0 ] && command -v sudo >/dev/null; then as_root=\"sudo --preserve-env=HOME,DOTNET_ROOT,DOTNET_NOLOGO,DOTNET_CLI_TELEMETRY_OPTOUT env PATH=$PATH\"; fi; "
        + $"$as_root dotnet kata grade {submissions} --shard {shard}/{total} --out {output}";

    private static string ShardList(int shards) =>
        string.Join(", ", Enumerable.Range(1, shards).Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static string GitHubGrader(ToolSource source, int shards, string submissions) =>
        $$$"""
            # Grades the submissions in {{{submissions}}}/ (one folder per student: a kata workspace or a clone of one)
            # with the kata version pinned in .config/dotnet-tools.json, installed from {{{Origin(source)}}}.
            # {{{shards}}} shards grade on runners of their own; the merge job makes one gradebook of them, keeps it
            # as the artifact "gradebook" (gradebook.csv, summary.md, summary.html, junit.xml, each student's
            # results.json) and shows the summary on the run's page. Change the shard count with
            # 'kata init --ci github --grader --shards N' (delete this file first) or by hand in both places below.
            name: kata-grade

            on:
              workflow_dispatch:
              push:
                paths:
                  - "{{{submissions}}}/**"

            permissions:
              contents: read

            jobs:
              grade:
                runs-on: ubuntu-latest
                timeout-minutes: 120
                strategy:
                  fail-fast: false
                  matrix:
                    shard: [{{{ShardList(shards)}}}]
                env:
            {{{Indent(GitHubEnvironment(source), "      ")}}}    steps:
            {{{GitHubInstall(source, "      ")}}}      - name: Grade shard ${{ matrix.shard }} of {{{shards}}}
                    run: {{{GradeShard(submissions, "${{ matrix.shard }}", shards.ToString(
                CultureInfo.InvariantCulture
            ), "grades-${{ matrix.shard }}")}}}
                  - name: Keep the shard's grades
                    if: always()
                    uses: {{{Upload}}}
                    with:
                      name: grades-${{ matrix.shard }}
                      path: grades-${{ matrix.shard }}
                      if-no-files-found: error

              merge:
                needs: grade
                if: always()
                runs-on: ubuntu-latest
                timeout-minutes: 15
                env:
            {{{Indent(GitHubEnvironment(source), "      ")}}}    steps:
            {{{GitHubInstall(source, "      ")}}}      - uses: {{{Download}}}
                    with:
                      pattern: grades-*
                      path: shards
                  - name: Merge the shards into one gradebook
                    run: dotnet kata grade --merge shards/grades-* --out grades
                  - name: Show the summary on the run's page
                    if: always()
                    run: cat grades/summary.md >> "$GITHUB_STEP_SUMMARY"
                  - name: Keep the gradebook
                    if: always()
                    uses: {{{Upload}}}
                    with:
                      name: gradebook
                      path: grades
                      if-no-files-found: error

            """;

    private static string GitLabGrader(ToolSource source, int shards, string submissions) =>
        $$"""
            # Grades the submissions in {{submissions}}/ (one folder per student: a kata workspace or a clone of one)
            # with the kata version pinned in .config/dotnet-tools.json, installed from {{Origin(source)}}.
            # {{shards}} shards grade in parallel jobs; kata-merge makes one gradebook of them (gradebook.csv,
            # summary.md, summary.html, each student's results.json) with junit.xml as the Tests tab's report.
            stages:
              - grade
              - merge

            variables:
              DOTNET_NOLOGO: "1"
              DOTNET_CLI_TELEMETRY_OPTOUT: "1"

            kata-grade:
              stage: grade
              image: mcr.microsoft.com/dotnet/sdk:10.0
              timeout: 2h
              parallel: {{shards}}
              script:
            {{GitLabInstall(source)}}    - {{GradeShard(
                submissions,
                "$CI_NODE_INDEX",
                "$CI_NODE_TOTAL",
                "grades-$CI_NODE_INDEX"
            )}}
              artifacts:
                when: always
                paths:
                  - grades-$CI_NODE_INDEX

            kata-merge:
              stage: merge
              image: mcr.microsoft.com/dotnet/sdk:10.0
              timeout: 15m
              when: always
              script:
            {{GitLabInstall(source)}}    - dotnet kata grade --merge grades-* --out grades
              artifacts:
                when: always
                paths:
                  - grades
                reports:
                  junit: grades/junit.xml

            """;

    private static string Origin(ToolSource source) =>
        source is ToolSource.Feed feed
            ? $"the feed {feed.Url} (nuget.config)"
            : $"the packages in {ToolsFolder.Replace('\\', '/')} (nuget.config)";

    private static string Indent(string text, string indent) =>
        string.Concat(text.Split('\n').Where(line => line.Length > 0).Select(line => indent + line + "\n"));
}
