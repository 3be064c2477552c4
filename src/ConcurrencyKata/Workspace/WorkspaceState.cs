using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConcurrencyKata.Workspace;

/// <summary>The learner's progress. A convenience only: verification never trusts it alone.</summary>
public sealed record WorkspaceState
{
    [JsonPropertyName("version")]
    public int Version { get; init; } = 1;

    [JsonPropertyName("current")]
    public string? Current { get; init; }

    [JsonPropertyName("passed")]
    public IReadOnlyList<string> Passed { get; init; } = [];

    public bool HasPassed(string id) => Passed.Contains(id, StringComparer.Ordinal);

    public WorkspaceState WithPassed(string id) => HasPassed(id) ? this : this with { Passed = [.. Passed, id] };

    public static WorkspaceState Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StateJson.Default.WorkspaceState)
                ?? new WorkspaceState();
        }
        catch (JsonException e)
        {
            throw new KataException(
                $"The progress file {path} is damaged ({e.Message}). Delete it to start your progress afresh: "
                    + "your exercises are not touched, and 'kata verify --all' re-checks them.",
                ExitCodes.Usage
            );
        }
    }

    public void Write(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, StateJson.Default.WorkspaceState));
        File.Move(temp, path, overwrite: true);
    }
}

[JsonSerializable(typeof(WorkspaceState))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class StateJson : JsonSerializerContext;
