// Fakes the evidence: instead of starting workers, it writes records in the format the support
// library once wrote to a file (KATA_EVENTS), with made-up worker pids and overlapping times, prints
// matching lines, and waits as long as the longest download would take. The verifier's records come
// from its own work service, so nothing of this counts.
using System.Diagnostics;
using System.Globalization;

var log = Environment.GetEnvironmentVariable("KATA_EVENTS");
var clock = Stopwatch.StartNew();
var now = (long)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
var lines = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    var pid = Environment.ProcessId + 1 + i;
    Console.WriteLine($"start {args[i]} pid={pid}");
    lines.Add(Record("download-start", args[i], pid, now + (i * 1_000_000)));
    lines.Add(Record("download-end", args[i], pid, now + 900_000_000 + (i * 1_000_000)));
}
if (log is not null)
{
    File.AppendAllText(log, string.Join("", lines));
}
Thread.Sleep(950);
for (var i = 0; i < args.Length; i++)
{
    Console.WriteLine($"finish {args[i]} pid={Environment.ProcessId + 1 + i}");
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {clock.Elapsed.TotalSeconds:0.00} s"));

static string Record(string evt, string name, int pid, long ts) =>
    string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"event":"{{evt}}","name":"{{name}}","pid":{{pid}},"tid":{{pid}},"ts":{{ts}}}"""
    ) + "\n";
