namespace ConcurrencyKata;

/// <summary>The environment variables the commands read (CI systems announce themselves there); tests pass their own.</summary>
public sealed class KataEnvironment(Func<string, string?> variables)
{
    public static KataEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    public string? this[string name] => variables(name);

    public bool IsGitHubActions => string.Equals(this["GITHUB_ACTIONS"], "true", StringComparison.OrdinalIgnoreCase);
}
