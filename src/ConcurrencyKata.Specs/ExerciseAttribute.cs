namespace ConcurrencyKata.Specs;

/// <summary>
/// Marks a fixture as the specs of one exercise. The id is also an NUnit category, which is how
/// verification selects the specs of the exercise it checks.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ExerciseAttribute(string id) : CategoryAttribute(id)
{
    public string Id { get; } = id;
}
