using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Tests;

public sealed class BuildTests
{
    [Test]
    public void Compiler_errors_are_shown_once_with_paths_relative_to_the_workspace()
    {
        const string output = """
            /home/ann/kata/exercises/01-x/Program.cs(3,5): error CS1002: ; expected [/home/ann/kata/exercises/01-x/X.csproj]
            /home/ann/kata/exercises/01-x/Program.cs(3,5): error CS1002: ; expected [/home/ann/kata/exercises/01-x/X.csproj]
            /home/ann/kata/exercises/01-x/Program.cs(1,1): warning CS8019: unused using [/home/ann/kata/exercises/01-x/X.csproj]
            """;

        var errors = DotnetProjectBuilder.Errors(output, "/home/ann/kata");

        Assert.That(errors, Is.EqualTo(new[] { "exercises/01-x/Program.cs(3,5): error CS1002: ; expected" }));
    }

    [TestCase(null, false, true)]
    [TestCase("true", false, false)]
    [TestCase("false", false, true)]
    [TestCase(null, true, false)]
    public void Build_servers_stay_on_for_learners_and_off_in_CI_or_on_request(string? ci, bool option, bool expected)
    {
        var before = Environment.GetEnvironmentVariable("CI");
        Environment.SetEnvironmentVariable("CI", ci);
        try
        {
            Assert.That(BuildOptions.Default(option).UseBuildServers, Is.EqualTo(expected));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CI", before);
        }
    }
}
