using System.Text.Json;

namespace ConcurrencyKata.Harness;

/// <summary>Reads the support library's event records (one JSON object per line) after a run.</summary>
internal static class EventFile
{
    public static (IReadOnlyList<SupportEvent> Events, int Malformed) ReadAndDelete(string path)
    {
        if (!File.Exists(path))
        {
            return ([], 0);
        }
        var events = new List<SupportEvent>();
        var malformed = 0;
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                if (Parse(line) is { } parsed)
                {
                    events.Add(parsed);
                }
                else
                {
                    malformed++;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
        return (events, malformed);
    }

    internal static SupportEvent? Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            return new SupportEvent(
                root.GetProperty("event").GetString() ?? "",
                root.GetProperty("name").GetString() ?? "",
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("tid").GetInt32(),
                root.GetProperty("ts").GetInt64()
            );
        }
        catch (Exception e)
            when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
