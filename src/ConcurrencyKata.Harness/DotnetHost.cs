using System.Runtime.InteropServices;

namespace ConcurrencyKata.Harness;

/// <summary>Finds the <c>dotnet</c> host that runs framework-dependent programs (<c>dotnet app.dll</c>).</summary>
public static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }
        if (Environment.ProcessPath is { } self && IsDotnet(self))
        {
            return self;
        }
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
        var root = System.IO.Path.GetFullPath(
            System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")
        );
        var candidate = System.IO.Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }

    private static bool IsDotnet(string path) =>
        string.Equals(System.IO.Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase);
}
