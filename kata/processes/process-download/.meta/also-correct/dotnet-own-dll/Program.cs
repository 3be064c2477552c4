using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

if (args is ["worker", var file])
{
    Console.WriteLine($"start {file} pid={Environment.ProcessId}");
    Kata.Download(file);
    Console.WriteLine($"finish {file} pid={Environment.ProcessId}");
    return;
}

var clock = Stopwatch.StartNew();
var workers = new List<Process>();
foreach (var name in args)
{
    workers.Add(Process.Start(DotnetWorker("worker", name))!);
}
foreach (var worker in workers)
{
    worker.WaitForExit();
    worker.Dispose();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

// Relaunches this program as "dotnet <this program's dll> arguments...", without a shell.
static ProcessStartInfo DotnetWorker(params string[] arguments)
{
    var host = Environment.ProcessPath;
    if (host is null || Path.GetFileNameWithoutExtension(host) != "dotnet")
    {
        // Started through the native launcher: the dotnet host sits three folders above the runtime
        // (<root>/shared/Microsoft.NETCore.App/<version>/).
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        host = File.Exists(candidate) ? candidate : "dotnet";
    }
    var info = new ProcessStartInfo { FileName = host, UseShellExecute = false };
    info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
    foreach (var argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }
    return info;
}
