using System.Globalization;

namespace ConcurrencyKata.Harness;

/// <summary>
/// The cgroups one run's processes are put in, where the machine lets this process make them: a
/// cgroup v2 group (its <c>cgroup.kill</c> ends every process in it at once, however it left the
/// session or cleared its environment) and a group of the <c>pids</c> controller, v2 or v1, whose
/// <c>pids.max</c> makes a fork fail once the run has that many processes and threads, so a fork
/// storm stays bounded. Each is a child of this process's own cgroup in its hierarchy; this process
/// itself never moves. Where neither can be made, the run is contained by its process group,
/// session and run marker alone, and <see cref="Unavailable"/> says why.
/// </summary>
internal sealed class RunCgroup : IDisposable
{
    private const string Prefix = "kata-";
    private static readonly Lazy<Bases> Found = new(Discover);

    private readonly string? _killGroup;
    private readonly string? _pidsGroup;
    private readonly bool _pidsIsV1;
    private readonly string? _memoryGroup;
    private readonly bool _memoryIsV1;
    private readonly IDisposable[] _guarded;

    private RunCgroup(
        string? killGroup,
        string? pidsGroup,
        bool pidsIsV1,
        int taskLimit,
        string? memoryGroup,
        bool memoryIsV1,
        long memoryLimit
    )
    {
        _killGroup = killGroup is not null && File.Exists(Path.Combine(killGroup, "cgroup.kill")) ? killGroup : null;
        _pidsGroup = pidsGroup;
        _pidsIsV1 = pidsIsV1;
        _memoryGroup = memoryGroup;
        _memoryIsV1 = memoryIsV1;
        MemoryLimit = memoryGroup is null ? null : memoryLimit;
        var parts = new List<string>();
        if (pidsGroup is not null)
        {
            parts.Add($"cgroup {(pidsIsV1 ? "v1" : "v2")} pids.max {taskLimit.ToString(CultureInfo.InvariantCulture)}");
        }
        if (memoryGroup is not null)
        {
            parts.Add(
                $"cgroup {(memoryIsV1 ? "v1 memory.limit_in_bytes" : "v2 memory.max")} {memoryLimit.ToString(CultureInfo.InvariantCulture)}"
            );
        }
        if (_killGroup is not null)
        {
            parts.Add("cgroup v2 cgroup.kill");
        }
        Method = string.Join(" + ", parts);
        // Whatever happens to this process, the guardian ends the groups' processes and removes the groups.
        _guarded = [.. Groups.Select(Guardian.Group)];
    }

    /// <summary>The memory limit in force for the run's processes together, in bytes; null where there is none.</summary>
    public long? MemoryLimit { get; }

    /// <summary>What contains the run, e.g. "cgroup v1 pids.max 1024 + cgroup v2 cgroup.kill".</summary>
    public string Method { get; }

    /// <summary>True when a fork beyond the task limit fails (pids.max is in force).</summary>
    public bool LimitsTasks => _pidsGroup is not null;

    /// <summary>The cgroup.procs files a process writes its pid to, to join the run's groups.</summary>
    public IReadOnlyList<string> ProcsFiles => [.. Groups.Select(g => Path.Combine(g, "cgroup.procs"))];

    private IEnumerable<string> Groups => new[] { _pidsGroup, _memoryGroup, _killGroup }.OfType<string>().Distinct();

    /// <summary>Why a run cannot be put in a cgroup here; null when it can (or partly can).</summary>
    public static string? Unavailable => Found.Value.Reason;

    /// <summary>Makes the cgroups for one run; null (with <paramref name="reason"/>) where none can be made.</summary>
    public static RunCgroup? TryCreate(string marker, int taskLimit, long memoryLimit, out string? reason)
    {
        var bases = Found.Value;
        reason = bases.Reason;
        if (bases.Kill is null && bases.Pids is null && bases.Memory is null)
        {
            return null;
        }
        var name = $"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{marker}";
        var problems = new List<string>();
        string? killGroup = null;
        string? pidsGroup = null;
        if (bases.Kill is { } killBase)
        {
            killGroup = TryMake(Path.Combine(killBase, name), problems);
            if (killGroup is not null && !File.Exists(Path.Combine(killGroup, "cgroup.kill")))
            {
                problems.Add("cgroup v2 has no cgroup.kill here (Linux 5.14 or later)");
                if (bases.Pids != killBase)
                {
                    TryRemove(killGroup);
                    killGroup = null;
                }
            }
        }
        if (bases.Pids is { } pidsBase)
        {
            pidsGroup =
                pidsBase == bases.Kill && killGroup is not null
                    ? killGroup
                    : TryMake(Path.Combine(pidsBase, name), problems);
            if (
                pidsGroup is not null
                && !TryWrite(
                    Path.Combine(pidsGroup, "pids.max"),
                    taskLimit.ToString(CultureInfo.InvariantCulture),
                    problems
                )
            )
            {
                if (pidsGroup != killGroup)
                {
                    TryRemove(pidsGroup);
                }
                pidsGroup = null;
            }
        }
        string? memoryGroup = null;
        if (bases.Memory is { } memoryBase)
        {
            memoryGroup =
                memoryBase == bases.Kill && killGroup is not null ? killGroup
                : memoryBase == bases.Pids && pidsGroup is not null ? pidsGroup
                : TryMake(Path.Combine(memoryBase, name), problems);
            var limit = memoryLimit.ToString(CultureInfo.InvariantCulture);
            if (
                memoryGroup is not null
                && !TryWrite(
                    Path.Combine(memoryGroup, bases.MemoryIsV1 ? "memory.limit_in_bytes" : "memory.max"),
                    limit,
                    problems
                )
            )
            {
                if (memoryGroup != killGroup && memoryGroup != pidsGroup)
                {
                    TryRemove(memoryGroup);
                }
                memoryGroup = null;
            }
            if (memoryGroup is not null)
            {
                // No swap either, where the kernel counts it: the limit is of memory, not of RAM.
                TryWrite(
                    Path.Combine(memoryGroup, bases.MemoryIsV1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max"),
                    bases.MemoryIsV1 ? limit : "0",
                    null
                );
            }
        }
        if (
            killGroup is not null
            && pidsGroup != killGroup
            && memoryGroup != killGroup
            && !File.Exists(Path.Combine(killGroup, "cgroup.kill"))
        )
        {
            // Kept only for a controller that could not be used after all: no role left.
            TryRemove(killGroup);
            killGroup = null;
        }
        if (killGroup is null && pidsGroup is null && memoryGroup is null)
        {
            reason = string.Join("; ", problems.Prepend(bases.Reason).OfType<string>());
            return null;
        }
        if (problems.Count > 0)
        {
            reason = string.Join("; ", problems.Prepend(bases.Reason).OfType<string>());
        }
        return new RunCgroup(
            killGroup,
            pidsGroup,
            bases.PidsIsV1 && pidsGroup != killGroup,
            taskLimit,
            memoryGroup,
            bases.MemoryIsV1 && memoryGroup != killGroup,
            memoryLimit
        );
    }

    /// <summary>
    /// The most memory the run's processes used together, as the kernel counted it (v1
    /// <c>memory.max_usage_in_bytes</c>, v2 <c>memory.peak</c>); null where it cannot be read.
    /// </summary>
    public long? PeakMemory()
    {
        if (_memoryGroup is null)
        {
            return null;
        }
        var file = Path.Combine(_memoryGroup, _memoryIsV1 ? "memory.max_usage_in_bytes" : "memory.peak");
        return
            ReadLines(file).FirstOrDefault() is { } text
            && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : null;
    }

    /// <summary>How many of the run's processes the kernel killed for running out of memory in the group.</summary>
    public int OutOfMemoryKills()
    {
        if (_memoryGroup is null)
        {
            return 0;
        }
        var file = Path.Combine(_memoryGroup, _memoryIsV1 ? "memory.oom_control" : "memory.events");
        foreach (var line in ReadLines(file))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (
                parts is ["oom_kill", var count]
                && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var kills)
            )
            {
                return kills;
            }
        }
        return 0;
    }

    /// <summary>Puts <paramref name="pid"/> in every group of the run; false with the reason when it could not be moved.</summary>
    public bool TryAdd(int pid, out string? problem)
    {
        var problems = new List<string>();
        foreach (var file in ProcsFiles)
        {
            TryWrite(file, pid.ToString(CultureInfo.InvariantCulture), problems);
        }
        problem = problems.Count == 0 ? null : string.Join("; ", problems);
        return problems.Count == 0;
    }

    /// <summary>
    /// How many times the kernel refused a new process or thread of the run because the task limit
    /// was reached (the "max" count of <c>pids.events</c>); 0 where no limit is in force or it cannot be read.
    /// </summary>
    public int TaskLimitRefusals()
    {
        if (_pidsGroup is null)
        {
            return 0;
        }
        foreach (var line in ReadLines(Path.Combine(_pidsGroup, "pids.events")))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (
                parts is ["max", var count]
                && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var refusals)
            )
            {
                return refusals;
            }
        }
        return 0;
    }

    /// <summary>Every process in the run's groups.</summary>
    public IReadOnlyList<int> Members()
    {
        var pids = new HashSet<int>();
        foreach (var file in ProcsFiles)
        {
            foreach (var line in ReadLines(file))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
                {
                    pids.Add(pid);
                }
            }
        }
        return [.. pids];
    }

    /// <summary>SIGKILLs every process in the groups: all at once through cgroup.kill, one by one in a v1 group.</summary>
    public void Kill()
    {
        if (_killGroup is not null)
        {
            TryWrite(Path.Combine(_killGroup, "cgroup.kill"), "1", null);
        }
        if (_pidsIsV1 || _memoryIsV1 || _killGroup is null)
        {
            foreach (var pid in Members())
            {
                Native.Kill(pid, Native.SigKill);
            }
        }
    }

    /// <summary>Removes the groups; a group is only removed once empty, so this waits a little for the last exits.</summary>
    public void Dispose()
    {
        foreach (var group in Groups)
        {
            for (var attempt = 0; attempt < 50 && !TryRemove(group); attempt++)
            {
                Thread.Sleep(2);
            }
        }
        foreach (var entry in _guarded)
        {
            entry.Dispose();
        }
    }

    private sealed record Bases(
        string? Kill,
        string? Pids,
        bool PidsIsV1,
        string? Memory,
        bool MemoryIsV1,
        string? Reason
    );

    private static Bases Discover()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Bases(null, null, false, null, false, "cgroups exist only on Linux");
        }
        var reasons = new List<string>();
        string? v2Mount = null;
        string? v1PidsMount = null;
        string? v1MemoryMount = null;
        foreach (var line in ReadLines("/proc/self/mountinfo"))
        {
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0)
            {
                continue;
            }
            var fields = line[..dash].Split(' ');
            var tail = line[(dash + 3)..].Split(' ');
            if (fields.Length < 5 || tail.Length < 3)
            {
                continue;
            }
            if (tail[0] == "cgroup2")
            {
                v2Mount ??= Unescape(fields[4]);
            }
            else if (tail[0] == "cgroup" && tail[2].Split(',').Contains("pids"))
            {
                v1PidsMount ??= Unescape(fields[4]);
            }
            else if (tail[0] == "cgroup" && tail[2].Split(',').Contains("memory"))
            {
                v1MemoryMount ??= Unescape(fields[4]);
            }
        }
        string? v2Own = null;
        string? v1PidsOwn = null;
        string? v1MemoryOwn = null;
        foreach (var line in ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                v2Own = parts[2];
            }
            else if (parts[1].Split(',').Contains("pids"))
            {
                v1PidsOwn = parts[2];
            }
            else if (parts[1].Split(',').Contains("memory"))
            {
                v1MemoryOwn = parts[2];
            }
        }

        string? kill = null;
        string? pids = null;
        var pidsIsV1 = false;
        string? memory = null;
        var memoryIsV1 = false;
        if (v2Mount is not null && v2Own is not null)
        {
            var own = Path.TrimEndingDirectorySeparator(Path.Join(v2Mount, v2Own));
            // Whether its children have cgroup.kill is only known once one is made (the root group has none).
            kill = own;
            var controllers = ReadLines(Path.Combine(own, "cgroup.controllers")).FirstOrDefault() ?? "";
            if (!controllers.Split(' ').Contains("pids"))
            {
                reasons.Add($"the pids controller is not available in the cgroup v2 group {own}");
            }
            else if (
                (ReadLines(Path.Combine(own, "cgroup.subtree_control")).FirstOrDefault() ?? "")
                    .Split(' ')
                    .Contains("pids") || TryWrite(Path.Combine(own, "cgroup.subtree_control"), "+pids", reasons)
            )
            {
                pids = own;
            }
            if (
                controllers.Split(' ').Contains("memory")
                && (
                    (ReadLines(Path.Combine(own, "cgroup.subtree_control")).FirstOrDefault() ?? "")
                        .Split(' ')
                        .Contains("memory") || TryWrite(Path.Combine(own, "cgroup.subtree_control"), "+memory", null)
                )
            )
            {
                memory = own;
            }
        }
        else
        {
            reasons.Add("no cgroup v2 hierarchy is mounted");
        }
        if (pids is null && v1PidsMount is not null && v1PidsOwn is not null)
        {
            pids = Path.TrimEndingDirectorySeparator(Path.Join(v1PidsMount, v1PidsOwn));
            pidsIsV1 = true;
        }
        if (pids is null)
        {
            reasons.Add("no pids controller to limit the number of processes");
        }
        if (memory is null && v1MemoryMount is not null && v1MemoryOwn is not null)
        {
            memory = Path.TrimEndingDirectorySeparator(Path.Join(v1MemoryMount, v1MemoryOwn));
            memoryIsV1 = true;
        }
        if (memory is null)
        {
            reasons.Add("no memory controller to limit the memory a run uses");
        }
        foreach (var dir in new[] { kill, pids, memory }.OfType<string>().Distinct())
        {
            RemoveStale(dir);
        }
        return new Bases(
            kill,
            pids,
            pidsIsV1,
            memory,
            memoryIsV1,
            reasons.Count == 0 ? null : string.Join("; ", reasons)
        );
    }

    /// <summary>
    /// Groups left by an earlier harness process that no longer exists (it and its guardian were killed
    /// before cleaning up, e.g. with the whole machine's session): what still runs in them is killed,
    /// then they are removed.
    /// </summary>
    private static void RemoveStale(string directory)
    {
        try
        {
            foreach (var group in Directory.EnumerateDirectories(directory, Prefix + "*"))
            {
                var owner = Path.GetFileName(group)[Prefix.Length..].Split('-')[0];
                if (
                    !int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    || Directory.Exists($"/proc/{pid}")
                )
                {
                    continue;
                }
                for (var attempt = 0; attempt < 50 && !TryRemove(group); attempt++)
                {
                    TryWrite(Path.Combine(group, "cgroup.kill"), "1", null);
                    foreach (var line in ReadLines(Path.Combine(group, "cgroup.procs")))
                    {
                        if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var member))
                        {
                            Native.Kill(member, Native.SigKill);
                        }
                    }
                    Thread.Sleep(2);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string? TryMake(string path, List<string> problems)
    {
        try
        {
            Directory.CreateDirectory(path);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot create the cgroup {path}: {e.Message}");
            return null;
        }
    }

    private static bool TryRemove(string path)
    {
        try
        {
            // rmdir(2), not a recursive delete: a cgroup's files cannot be deleted, only the empty group.
            Directory.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryWrite(string path, string text, List<string>? problems)
    {
        try
        {
            // One write(2), as the kernel's control files expect.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
            file.Write(System.Text.Encoding.ASCII.GetBytes(text));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems?.Add($"cannot write {text} to {path}: {e.Message}");
            return false;
        }
    }

    private static string[] ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>mountinfo escapes spaces and a few other characters as \ooo.</summary>
    private static string Unescape(string path) =>
        System.Text.RegularExpressions.Regex.Replace(
            path,
            @"\\([0-7]{3})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString()
        );
}
