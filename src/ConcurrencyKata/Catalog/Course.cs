using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConcurrencyKata.Catalog;

/// <summary>One exercise of the course, as kata/catalog.json lists it.</summary>
public sealed record Exercise(int Number, string Id, string Title, string TitleZh, string Directory)
{
    /// <summary>The folder name in a learner's workspace: exercises/02-process-download.</summary>
    public string Slug => $"{Number:00}-{Id}";

    /// <summary>ProcessDownload: the learner project's name.</summary>
    public string PascalName => string.Concat(Id.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    public string StubDirectory => Path.Combine(Directory, "stub");

    public string Title_(Language language) => language == Language.Chinese ? TitleZh : Title;

    public string ReadmePath(Language language) =>
        Path.Combine(Directory, language == Language.Chinese ? "README.zh-CN.md" : "README.md");

    public string HintsPath(Language language) =>
        Path.Combine(Directory, language == Language.Chinese ? "hints.zh-CN.md" : "hints.md");
}

/// <summary>The course: the ordered exercises and the support library, read from a kata/ folder.</summary>
public sealed class Course
{
    public const string CourseDirectoryVariable = "KATA_COURSE_DIR";

    private Course(string root, IReadOnlyList<Exercise> exercises)
    {
        Root = root;
        Exercises = exercises;
    }

    public string Root { get; }
    public IReadOnlyList<Exercise> Exercises { get; }
    public string SupportDirectory => Path.Combine(Root, "support");

    /// <summary>The course shipped with the tool, or the one KATA_COURSE_DIR points at.</summary>
    public static Course LoadDefault()
    {
        var overridden = Environment.GetEnvironmentVariable(CourseDirectoryVariable);
        return Load(string.IsNullOrEmpty(overridden) ? Path.Combine(AppContext.BaseDirectory, "course") : overridden);
    }

    public static Course Load(string root)
    {
        var catalogPath = Path.Combine(root, "catalog.json");
        if (!File.Exists(catalogPath))
        {
            throw new KataException($"The course is missing: no catalog at {catalogPath}.", ExitCodes.Usage);
        }
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllText(catalogPath), CatalogJson.Default.CatalogFile);
        }
        catch (JsonException e)
        {
            throw new KataException($"The course catalog {catalogPath} is not valid: {e.Message}", ExitCodes.Usage);
        }
        var entries = file?.Exercises ?? [];
        var exercises = entries
            .OrderBy(e => e.Number)
            .Select(e => new Exercise(e.Number, e.Id, e.Title, e.TitleZh ?? e.Title, Path.Combine(root, e.Path)))
            .ToList();
        return new Course(root, exercises);
    }

    /// <summary>Finds an exercise by id ("process-download"), slug ("02-process-download") or number ("2", "02").</summary>
    public Exercise Find(string key)
    {
        var match = Exercises.FirstOrDefault(e =>
            string.Equals(e.Id, key, StringComparison.OrdinalIgnoreCase)
            || string.Equals(e.Slug, key, StringComparison.OrdinalIgnoreCase)
            || (int.TryParse(key, out var n) && n == e.Number)
        );
        return match
            ?? throw new KataException(
                $"There is no exercise '{key}'. Run 'kata list' to see them all, e.g. '{(Exercises.Count > 0 ? Exercises[0].Id : "")}'.",
                ExitCodes.Usage
            );
    }

    public Exercise? After(Exercise? exercise) =>
        exercise is null
            ? (Exercises.Count > 0 ? Exercises[0] : null)
            : Exercises.FirstOrDefault(e => e.Number > exercise.Number);
}

internal sealed record CatalogFile(
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("exercises")] IReadOnlyList<CatalogEntry>? Exercises
);

internal sealed record CatalogEntry(
    [property: JsonPropertyName("number")] int Number,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("title_zh")] string? TitleZh
);

[JsonSerializable(typeof(CatalogFile))]
internal sealed partial class CatalogJson : JsonSerializerContext;
