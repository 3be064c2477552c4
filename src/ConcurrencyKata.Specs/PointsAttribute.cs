namespace ConcurrencyKata.Specs;

/// <summary>
/// How many points a check is worth when it passes (default 1). Stored as the NUnit property
/// <c>points</c>, so <c>[Property("points", 2)]</c> means the same; graders add the points up into
/// the score of results.json and the gradebook.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class PointsAttribute(int points) : PropertyAttribute(PropertyName, points)
{
    public const string PropertyName = "points";
    public const int Default = 1;

    public int Points { get; } = points;
}
