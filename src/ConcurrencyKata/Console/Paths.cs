namespace ConcurrencyKata.Console;

public static class Paths
{
    /// <summary>Relative to the current folder when the path is inside it, absolute otherwise.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? Path.GetFullPath(path)
            : relative;
    }
}
