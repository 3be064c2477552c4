using System.Diagnostics;
using System.Runtime.InteropServices;

// Usage: Dummy <mode> [args]. Each mode is one behaviour the harness must observe correctly.
return args.FirstOrDefault() switch
{
    "exit" => int.Parse(args[1]),
    "echo" => Echo(args[1..]),
    "sleep" => Sleep(int.Parse(args[1])),
    "spawn" => Spawn(int.Parse(args[1]), int.Parse(args[2]), wait: true),
    "orphan" => Spawn(1, int.Parse(args[1]), wait: false),
    _ => Usage(),
};

static int Echo(string[] lines)
{
    foreach (var line in lines) Console.WriteLine(line);
    return 0;
}

static int Sleep(int ms)
{
    Console.WriteLine($"sleeping {Environment.ProcessId}");
    Thread.Sleep(ms);
    return 0;
}

static int Spawn(int count, int ms, bool wait)
{
    var children = new List<Process>();
    for (var i = 0; i < count; i++)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            info.ArgumentList.Add(typeof(Program).Assembly.Location);
        info.ArgumentList.Add("sleep");
        info.ArgumentList.Add(ms.ToString());
        children.Add(Process.Start(info)!);
    }
    if (wait) foreach (var c in children) c.WaitForExit();
    Console.WriteLine($"parent {Environment.ProcessId} done");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: Dummy exit N | echo LINES | sleep MS | spawn N MS | orphan MS");
    return 64;
}
