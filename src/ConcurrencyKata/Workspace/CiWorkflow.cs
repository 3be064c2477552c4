using System.Reflection;

namespace ConcurrencyKata.Workspace;

/// <summary>
/// The CI files of a student's repository: a workflow that installs the kata version pinned in
/// .config/dotnet-tools.json, verifies every exercise headless and keeps the reports.
/// </summary>
public static class CiWorkflow
{
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string VerifyCommandLine = "dotnet kata verify --all --results results.json --junit junit.xml";

    public static IReadOnlyList<string> Systems { get; } = [GitHub, GitLab];

    /// <summary>Where the workflow goes, relative to the repository root.</summary>
    public static string RelativePath(string system) =>
        system == GitHub ? Path.Combine(".github", "workflows", "kata.yml") : ".gitlab-ci.yml";

    public static string Content(string system) => system == GitHub ? GitHubWorkflow : GitLabPipeline;

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

    private const string GitHubWorkflow = $$"""
        # Verifies every exercise on each push with the kata version pinned in .config/dotnet-tools.json.
        # Failed checks show as annotations on your Program.cs, and the run's summary has a table of them.
        name: kata

        on:
          push:
          pull_request:
          workflow_dispatch:

        jobs:
          verify:
            runs-on: ubuntu-latest
            timeout-minutes: 30
            env:
              DOTNET_NOLOGO: "1"
              DOTNET_CLI_TELEMETRY_OPTOUT: "1"
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: "10.0.x"
              - name: Install kata (the version pinned in .config/dotnet-tools.json)
                run: dotnet tool restore
              - name: Verify every exercise
                run: {{VerifyCommandLine}}
              - name: Keep the reports
                if: always()
                uses: actions/upload-artifact@v4
                with:
                  name: kata-results
                  path: |
                    results.json
                    junit.xml
                  if-no-files-found: ignore

        """;

    private const string GitLabPipeline = $$"""
        # Verifies every exercise on each push with the kata version pinned in .config/dotnet-tools.json.
        # The checks show in the pipeline's Tests tab (JUnit report); results.json is kept as an artifact.
        kata:
          image: mcr.microsoft.com/dotnet/sdk:10.0
          timeout: 30m
          variables:
            DOTNET_NOLOGO: "1"
            DOTNET_CLI_TELEMETRY_OPTOUT: "1"
          script:
            - dotnet tool restore
            - {{VerifyCommandLine}}
          artifacts:
            when: always
            paths:
              - results.json
              - junit.xml
            reports:
              junit: junit.xml

        """;
}
