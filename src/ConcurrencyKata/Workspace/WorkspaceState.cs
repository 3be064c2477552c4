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

    /// <summary>How many hints of each exercise the learner has been shown (kata hint shows the next one).</summary>
    [JsonPropertyName("hintsShown")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, int>? HintsShown { get; init; }

    /// <summary>The language the learner last chose with --lang (en or zh-CN); null: none chosen.</summary>
    [JsonPropertyName("language")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Language { get; init; }

    public bool HasPassed(string id) => Passed.Contains(id, StringComparer.Ordinal);

    public int HintsShownOf(string id) => HintsShown?.GetValueOrDefault(id) ?? 0;

    public WorkspaceState WithHintsShown(string id, int count) =>
        this with
        {
            HintsShown = new Dictionary<string, int>(HintsShown ?? new Dictionary<string, int>()) { [id] = count },
        };

    public WorkspaceState WithPassed(string id) => HasPassed(id) ? this : this with { Passed = [.. Passed, id] };

    public static WorkspaceState Read(string path)
    {
        WorkspaceState? state;
        try
        {
            state = JsonSerializer.Deserialize(File.ReadAllText(path), StateJson.Default.WorkspaceState);
        }
        catch (JsonException e)
        {
            throw Damaged(path, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KataException($"Could not read the progress file {path}: {e.Message}", ExitCodes.Usage);
        }
        // Valid JSON of the wrong shape ("passed": null, a number for "current") is as damaged as
        // invalid JSON, and never rewritten: the learner decides what to keep.
        if (state is null)
        {
            throw Damaged(path, "it holds null instead of an object");
        }
        if (state.Passed is null || state.Passed.Any(id => string.IsNullOrWhiteSpace(id)))
        {
            throw Damaged(path, "\"passed\" must be a list of exercise ids, such as [\"sequential-download\"]");
        }
        if (state.HintsShown is { } hints && hints.Any(h => string.IsNullOrWhiteSpace(h.Key) || h.Value < 0))
        {
            throw Damaged(path, "\"hintsShown\" must map exercise ids to counts, such as {\"sequential-download\": 1}");
        }
        return state;
    }

    private static KataException Damaged(string path, string what) =>
        new(
            $"The progress file {path} is damaged: {what.TrimEnd('.')}. Nothing was changed. Mend it, or delete it to start "
                + "your progress afresh: your exercises are not touched, and 'kata verify --all' re-checks them.",
            ExitCodes.Usage
        );

    /// <summary>
    /// Writes to a temporary file and renames it over the old one: a write that fails (a full disk)
    /// leaves the old file as it was, and says so.
    /// </summary>
    public void Write(string path)
    {
        // Verdicts of a run that a signal cut short are not progress.
        Interruption.HoldIfStopping();
        SafeFile.WriteText(path, JsonSerializer.Serialize(this, StateJson.Default.WorkspaceState));
    }
}

[JsonSerializable(typeof(WorkspaceState))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class StateJson : JsonSerializerContext;
