using System.Globalization;
using System.Reflection;
using ConcurrencyKata.Specs;
using NUnit.Framework;

namespace ConcurrencyKata.Verification;

/// <summary>A check an exercise has, before anything runs.</summary>
public sealed record SpecInfo(string Name, int Points);

/// <summary>
/// The checks of each exercise read from the compiled specs without running them: reports list every
/// check, and the points it is worth, even when the learner's program did not build.
/// </summary>
public static class SpecCatalog
{
    private static readonly Lazy<Dictionary<string, IReadOnlyList<SpecInfo>>> All = new(Load);

    public static IReadOnlyList<SpecInfo> Checks(string exerciseId) =>
        All.Value.TryGetValue(exerciseId, out var checks) ? checks : [];

    /// <summary>The points of a spec method: <c>[Points(n)]</c> or <c>[Property("points", n)]</c>, default 1.</summary>
    public static int PointsOf(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var value = method
            .GetCustomAttributes<PropertyAttribute>()
            .Select(p => p.Properties.Get(PointsAttribute.PropertyName))
            .FirstOrDefault(v => v is not null);
        return Points(value);
    }

    /// <summary>An NUnit property value as points: a whole number of at least 0, default 1.</summary>
    public static int Points(object? value) =>
        value switch
        {
            int n when n >= 0 => n,
            string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0 => n,
            _ => PointsAttribute.Default,
        };

    private static Dictionary<string, IReadOnlyList<SpecInfo>> Load() =>
        typeof(ExerciseAttribute)
            .Assembly.GetTypes()
            .Select(t => (Type: t, Exercise: t.GetCustomAttribute<ExerciseAttribute>()))
            .Where(t => t.Exercise is not null)
            .GroupBy(t => t.Exercise!.Id, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g =>
                    (IReadOnlyList<SpecInfo>)
                        g.SelectMany(t => t.Type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
                            .Where(m => m.GetCustomAttribute<TestAttribute>() is not null)
                            .OrderBy(m => m.MetadataToken)
                            .Select(m => new SpecInfo(m.Name, PointsOf(m)))
                            .ToList(),
                StringComparer.Ordinal
            );
}
