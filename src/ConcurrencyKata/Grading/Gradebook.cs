using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ConcurrencyKata.Grading;

/// <summary>How an exercise of a submission came out.</summary>
public static class GradeStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
    public const string BuildFailed = "build-failed";

    /// <summary>Asked for with --exercise, but not in the submission.</summary>
    public const string Missing = "missing";

    /// <summary>Could not be graded: the time limit, an unreadable submission, a crash of the grader.</summary>
    public const string Error = "error";
}

/// <summary>One line of the gradebook.</summary>
/// <param name="Note">Why an exercise was not graded normally (empty otherwise).</param>
public sealed record GradeRow(
    string Student,
    int Number,
    string Exercise,
    int Points,
    int MaxPoints,
    string Status,
    string Note
);

/// <summary>gradebook.csv (one row per student and exercise), and summary.md and summary.html (one row per student).</summary>
public static class Gradebook
{
    public const string FileName = "gradebook.csv";
    public const string SummaryFileName = "summary.md";
    public const string HtmlSummaryFileName = "summary.html";
    public const string JUnitFileName = "junit.xml";

    /// <summary>A student's results.json in a grading output, when it is there and readable.</summary>
    private static Reports.ResultsFile? StudentResults(string output, string student)
    {
        var path = Path.Combine(output, student, "results.json");
        try
        {
            return File.Exists(path) ? Reports.ResultsJson.Read(path) : null;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static readonly string[] Header =
    [
        "student",
        "number",
        "exercise",
        "points",
        "max_points",
        "status",
        "note",
    ];

    public static IReadOnlyList<GradeRow> Sorted(IEnumerable<GradeRow> rows) =>
        [.. rows.OrderBy(r => r.Student, StringComparer.Ordinal).ThenBy(r => r.Number)];

    /// <summary>
    /// CSV as RFC 4180 has it, through CsvHelper; a field that a spreadsheet would take for a formula
    /// (a student folder named =HYPERLINK(…), a note that starts with -) is escaped with a leading '
    /// (see <see cref="Escape"/>).
    /// </summary>
    private static CsvConfiguration Csv =>
        new(CultureInfo.InvariantCulture) { NewLine = "\n", HasHeaderRecord = false };

    public static void Write(IEnumerable<GradeRow> rows, string path)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Csv))
        {
            foreach (var field in Header)
            {
                csv.WriteField(field);
            }
            csv.NextRecord();
            foreach (var row in Sorted(rows))
            {
                csv.WriteField(Escape(row.Student));
                csv.WriteField(row.Number);
                csv.WriteField(Escape(row.Exercise));
                csv.WriteField(row.Points);
                csv.WriteField(row.MaxPoints);
                csv.WriteField(Escape(row.Status));
                csv.WriteField(Escape(row.Note));
                csv.NextRecord();
            }
        }
        Workspace.SafeFile.WriteText(path, text.ToString());
    }

    public static IReadOnlyList<GradeRow> Read(string path)
    {
        var records = new List<string[]>();
        try
        {
            using var reader = new StreamReader(path);
            using var csv = new CsvReader(reader, Csv);
            while (csv.Read())
            {
                records.Add(
                    Enumerable.Range(0, csv.Parser.Count).Select(i => Unescape(csv.GetField(i) ?? "")).ToArray()
                );
            }
        }
        catch (CsvHelperException e)
        {
            throw new KataException($"{path} is damaged: {e.Message.Split('\n')[0]}", ExitCodes.Usage);
        }
        if (records.Count == 0 || !records[0].SequenceEqual(Header))
        {
            throw new KataException(
                $"{path} is not a kata gradebook: its first line must be {string.Join(',', Header)}.",
                ExitCodes.Usage
            );
        }
        return
        [
            .. records
                .Skip(1)
                .Select(
                    (r, i) =>
                        r.Length == Header.Length
                        && int.TryParse(r[1], CultureInfo.InvariantCulture, out var number)
                        && int.TryParse(r[3], CultureInfo.InvariantCulture, out var points)
                        && int.TryParse(r[4], CultureInfo.InvariantCulture, out var max)
                            ? new GradeRow(r[0], number, r[2], points, max, r[5], r[6])
                            : throw new KataException($"{path}, record {i + 2}, is damaged.", ExitCodes.Usage)
                ),
        ];
    }

    /// <summary>
    /// A field a spreadsheet would run as a formula (it starts with = @ + - or a tab or carriage
    /// return) gets a leading ', as OWASP advises; so does one that starts with ' itself, so that
    /// <see cref="Unescape"/> gives back every field exactly (a student folder named '=x, say).
    /// </summary>
    private static string Escape(string field) =>
        field.Length > 0 && "=@+-\t\r'".Contains(field[0], StringComparison.Ordinal) ? "'" + field : field;

    /// <summary>A field as it was before <see cref="Escape"/>.</summary>
    private static string Unescape(string field) => field.StartsWith('\'') ? field[1..] : field;

    /// <summary>A table with a row per student: total points and each exercise's points and verdict.</summary>
    public static string Summary(IReadOnlyList<GradeRow> rows, string title)
    {
        var (exercises, students) = Layout(rows);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {title}\n\n");
        text.Append(
            CultureInfo.InvariantCulture,
            $"{students.Count} submissions; {students.Count(s => s.All(r => r.Status == GradeStatus.Passed))} with every exercise passed.\n\n"
        );
        text.Append("| student | points |");
        foreach (var (number, id) in exercises)
        {
            text.Append(CultureInfo.InvariantCulture, $" {number:00} {Cell(id)} |");
        }
        text.Append("\n| --- | --- |").Append(string.Concat(Enumerable.Repeat(" --- |", exercises.Count))).Append('\n');
        foreach (var student in students)
        {
            text.Append(
                CultureInfo.InvariantCulture,
                $"| {Cell(student.Key)} | {student.Sum(r => r.Points)} / {student.Sum(r => r.MaxPoints)} |"
            );
            foreach (var (number, _) in exercises)
            {
                var row = student.FirstOrDefault(r => r.Number == number);
                if (row is null)
                {
                    text.Append(" |");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $" {Mark(row.Status)} {row.Points}/{row.MaxPoints} |");
                }
            }
            text.Append('\n');
        }
        var notes = rows.Where(r => r.Note.Length > 0).ToList();
        if (notes.Count > 0)
        {
            text.Append("\n## Not graded normally\n\n");
            foreach (var row in notes)
            {
                var exercise =
                    row.Number > 0
                        ? string.Create(CultureInfo.InvariantCulture, $", {row.Number:00} {Cell(row.Exercise)}")
                        : "";
                text.Append(
                    CultureInfo.InvariantCulture,
                    $"- {Cell(row.Student)}{exercise}: {row.Status}: {Cell(row.Note)}\n"
                );
            }
        }
        return text.ToString();
    }

    /// <summary>Writes gradebook.csv, summary.md, summary.html and junit.xml (one suite per student) into <paramref name="output"/>.</summary>
    public static void WriteAll(IReadOnlyList<GradeRow> rows, string output, string title)
    {
        Write(rows, Path.Combine(output, FileName));
        Reports.JUnitXml.Write(
            Reports.JUnitXml.ForClass(rows, student => StudentResults(output, student), DateTimeOffset.UtcNow),
            Path.Combine(output, JUnitFileName)
        );
        Workspace.SafeFile.WriteText(Path.Combine(output, SummaryFileName), Summary(rows, title));
        Workspace.SafeFile.WriteText(Path.Combine(output, HtmlSummaryFileName), HtmlSummary(rows, title));
    }

    /// <summary>The summary as one self-contained HTML page (no scripts, no external files), to open in a browser.</summary>
    public static string HtmlSummary(IReadOnlyList<GradeRow> rows, string title)
    {
        var (exercises, students) = Layout(rows);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{Html(title)}</title>\n")
            .Append(
                "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
                    + "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
                    + ".passed{background:#e6ffed}.failed{background:#ffeef0}.build-failed{background:#fff5e6}"
                    + ".error{background:#fffbdd}.missing{color:#888}</style>\n"
            )
            .Append("</head>\n<body>\n")
            .Append(CultureInfo.InvariantCulture, $"<h1>{Html(title)}</h1>\n")
            .Append(
                CultureInfo.InvariantCulture,
                $"<p>{students.Count} submissions; {students.Count(g => g.All(r => r.Status == GradeStatus.Passed))} with every exercise passed.</p>\n"
            )
            .Append("<table>\n<thead><tr><th>student</th><th>points</th>");
        foreach (var (number, id) in exercises)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{number:00} {Html(id)}</th>");
        }
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var student in students)
        {
            html.Append(
                CultureInfo.InvariantCulture,
                $"<tr><td>{Html(student.Key)}</td><td>{student.Sum(r => r.Points)} / {student.Sum(r => r.MaxPoints)}</td>"
            );
            foreach (var (number, _) in exercises)
            {
                var row = student.FirstOrDefault(r => r.Number == number);
                html.Append(
                    row is null
                        ? "<td></td>"
                        : string.Create(
                            CultureInfo.InvariantCulture,
                            $"<td class=\"{Html(row.Status)}\" title=\"{Html(row.Status)}\">{Mark(row.Status)} {row.Points}/{row.MaxPoints}</td>"
                        )
                );
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        var notes = rows.Where(r => r.Note.Length > 0).ToList();
        if (notes.Count > 0)
        {
            html.Append("<h2>Not graded normally</h2>\n<ul>\n");
            foreach (var row in notes)
            {
                var exercise =
                    row.Number > 0
                        ? string.Create(CultureInfo.InvariantCulture, $", {row.Number:00} {Html(row.Exercise)}")
                        : "";
                html.Append(
                    CultureInfo.InvariantCulture,
                    $"<li>{Html(row.Student)}{exercise}: {Html(row.Status)}: {Html(row.Note)}</li>\n"
                );
            }
            html.Append("</ul>\n");
        }
        return html.Append("</body>\n</html>\n").ToString();
    }

    /// <summary>
    /// The summary's columns (exercises, by number) and rows (students, by name). A row numbered 0 is a
    /// submission without exercises: its note is listed below the table, it has no column.
    /// </summary>
    private static (List<(int Number, string Exercise)> Exercises, List<IGrouping<string, GradeRow>> Students) Layout(
        IReadOnlyList<GradeRow> rows
    )
    {
        ArgumentNullException.ThrowIfNull(rows);
        return (
            rows.Where(r => r.Number > 0)
                .Select(r => (r.Number, r.Exercise))
                .Distinct()
                .OrderBy(e => e.Number)
                .ToList(),
            rows.GroupBy(r => r.Student, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList()
        );
    }

    private static string Html(string text) => System.Net.WebUtility.HtmlEncode(text);

    private static string Mark(string status) =>
        status switch
        {
            GradeStatus.Passed => "✅",
            GradeStatus.Failed => "❌",
            GradeStatus.BuildFailed => "🛠",
            GradeStatus.Missing => "—",
            _ => "⚠",
        };

    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
