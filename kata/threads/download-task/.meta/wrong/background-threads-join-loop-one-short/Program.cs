using System.Diagnostics;
using System.Globalization;

var clock = Stopwatch.StartNew();
var tasks = new List<DownloadTask>();
foreach (var name in args)
{
    var task = new DownloadTask(name);
    task.Start();
    tasks.Add(task);
}
for (var i = 0; i < tasks.Count - 1; i++)
{
    tasks[i].Join();
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

/// <summary>One file's download on a thread of its own, named "dl-&lt;file&gt;".</summary>
sealed class DownloadTask
{
    private readonly string _file;
    private readonly Thread _thread;

    public DownloadTask(string file)
    {
        _file = file;
        _thread = new Thread(Run) { Name = "dl-" + file, IsBackground = true };
    }

    public void Start() => _thread.Start();

    public void Join() => _thread.Join();

    private void Run()
    {
        Console.WriteLine($"start {_file} thread={Environment.CurrentManagedThreadId}");
        Kata.Download(_file);
        Console.WriteLine($"finish {_file} thread={Environment.CurrentManagedThreadId}");
    }
}
