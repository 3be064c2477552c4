using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ConcurrencyKata.Verification;

namespace ConcurrencyKata.Reports;

/// <summary>
/// JUnit XML as Ant wrote it, which GitLab, Jenkins and the GitHub test reporters read: one
/// <c>testsuite</c> per exercise, one <c>testcase</c> per check; a failed check is a <c>failure</c>,
/// a skipped one <c>skipped</c>, and a build that failed an <c>error</c> on a "Builds" test case,
/// with the exercise's checks listed as skipped (not run).
/// </summary>
public static class JUnitXml
{
    public static XDocument From(IReadOnlyList<ExerciseResult> results, DateTimeOffset timestamp, string hostname)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suites = results.Select((r, i) => Suite(r, i, timestamp, hostname)).ToList();
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                "testsuites",
                new XAttribute("name", "kata"),
                new XAttribute("tests", Sum(suites, "tests")),
                new XAttribute("failures", Sum(suites, "failures")),
                new XAttribute("errors", Sum(suites, "errors")),
                new XAttribute("time", Seconds(results.Sum(r => (r.Build.Duration + r.CheckTime).TotalSeconds))),
                suites
            )
        );
    }

    /// <summary>
    /// A graded class for test reporters: one <c>testsuite</c> per student, one <c>testcase</c> per
    /// check (from the student's results.json), or one per exercise where no check ran (a build that
    /// failed, a submission that could not be graded, an exercise missing). Points are the
    /// gradebook's, in each suite's properties.
    /// </summary>
    public static XDocument ForClass(
        IReadOnlyList<Grading.GradeRow> rows,
        Func<string, ResultsFile?> results,
        DateTimeOffset timestamp
    )
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(results);
        var suites = rows.GroupBy(r => r.Student, StringComparer.Ordinal)
            .Select((student, index) => StudentSuite(student.Key, [.. student], results(student.Key), index, timestamp))
            .ToList();
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                "testsuites",
                new XAttribute("name", "kata grade"),
                new XAttribute("tests", Sum(suites, "tests")),
                new XAttribute("failures", Sum(suites, "failures")),
                new XAttribute("errors", Sum(suites, "errors")),
                suites
            )
        );
    }

    private static XElement StudentSuite(
        string student,
        IReadOnlyList<Grading.GradeRow> rows,
        ResultsFile? results,
        int index,
        DateTimeOffset timestamp
    )
    {
        var cases = new List<XElement>();
        foreach (var row in rows)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{row.Number:00}-{row.Exercise}: ");
            var checks = (results?.Tests ?? [])
                .Where(t => row.Number > 0 && t.Name.StartsWith(prefix, StringComparison.Ordinal))
                .ToList();
            var className = student + "." + (row.Exercise.Length > 0 ? row.Exercise : "submission");
            if (checks.Count > 0 && row.Status is Grading.GradeStatus.Passed or Grading.GradeStatus.Failed)
            {
                foreach (var check in checks)
                {
                    var testCase = Case(check.Name[prefix.Length..], className, TimeSpan.Zero);
                    if (check.Status == ResultsJson.Fail)
                    {
                        testCase.Add(Outcome("failure", FirstLine(check.Message), "check", check.Message));
                    }
                    else if (check.Status != ResultsJson.Pass)
                    {
                        testCase.Add(Outcome("skipped", check.Message ?? "not judged", null, null));
                    }
                    cases.Add(testCase);
                }
                continue;
            }
            var name = row.Exercise.Length > 0 ? row.Exercise : "grading";
            var exerciseCase = Case(name, className, TimeSpan.Zero);
            var note = row.Note.Length > 0 ? row.Note : row.Status;
            switch (row.Status)
            {
                case Grading.GradeStatus.Passed:
                    break;
                case Grading.GradeStatus.Failed:
                    exerciseCase.Add(Outcome("failure", FirstLine(note), "check", note));
                    break;
                case Grading.GradeStatus.Missing:
                    exerciseCase.Add(Outcome("failure", "The exercise is not in the submission.", "missing", note));
                    break;
                default:
                    exerciseCase.Add(Outcome("error", FirstLine(note), row.Status, note));
                    break;
            }
            cases.Add(exerciseCase);
        }
        return new XElement(
            "testsuite",
            new XAttribute("name", student),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
            new XAttribute(
                "timestamp",
                timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
            ),
            new XAttribute("id", index),
            new XElement(
                "properties",
                Property("points", rows.Sum(r => r.Points).ToString(CultureInfo.InvariantCulture)),
                Property("max_points", rows.Sum(r => r.MaxPoints).ToString(CultureInfo.InvariantCulture))
            ),
            cases
        );
    }

    public static void Write(XDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        using (
            var writer = XmlWriter.Create(
                buffer,
                new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) }
            )
        )
        {
            document.Save(writer);
        }
        ReportFile.Write(path, buffer.ToArray());
    }

    private static XElement Suite(ExerciseResult result, int index, DateTimeOffset timestamp, string hostname)
    {
        var cases = new List<XElement>();
        var className = "exercises." + result.Exercise.Slug;
        if (!result.Build.Succeeded)
        {
            var errors = string.Join('\n', result.Build.Errors);
            cases.Add(
                Case("Builds", className, result.Build.Duration)
                    .WithChild(Outcome("error", "The program did not build.", "build", errors))
            );
            cases.AddRange(
                result.Planned.Select(s =>
                    Case(s.Name.Replace('_', ' '), className, TimeSpan.Zero)
                        .WithChild(Outcome("skipped", "Not run: the program did not build.", null, null))
                )
            );
        }
        foreach (var check in result.Checks)
        {
            var testCase = Case(check.Sentence, className, check.Duration);
            if (check.Status == CheckStatus.Failed)
            {
                testCase.Add(Outcome("failure", FirstLine(check.Message), "check", check.Message));
            }
            else if (check.Status is CheckStatus.Skipped or CheckStatus.NotJudged)
            {
                testCase.Add(Outcome("skipped", check.Message ?? "skipped", null, null));
            }
            cases.Add(testCase);
        }
        var properties = new XElement(
            "properties",
            Property("exercise", result.Exercise.Id),
            Property("score", result.Score.ToString(CultureInfo.InvariantCulture)),
            Property("max_score", result.MaxPoints.ToString(CultureInfo.InvariantCulture))
        );
        if (result.Seed is not null)
        {
            properties.Add(Property("seed", result.Seed));
        }
        return new XElement(
            "testsuite",
            new XAttribute("name", result.Exercise.Slug),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", Seconds((result.Build.Duration + result.CheckTime).TotalSeconds)),
            new XAttribute(
                "timestamp",
                timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)
            ),
            new XAttribute("hostname", hostname),
            new XAttribute("id", index),
            new XAttribute("package", "exercises"),
            properties,
            cases,
            new XElement("system-out", ""),
            new XElement("system-err", "")
        );
    }

    private static XElement Case(string name, string className, TimeSpan time) =>
        new(
            "testcase",
            new XAttribute("name", name),
            new XAttribute("classname", className),
            new XAttribute("time", Seconds(time.TotalSeconds))
        );

    private static XElement WithChild(this XElement element, XElement child)
    {
        element.Add(child);
        return element;
    }

    private static XElement Outcome(string kind, string message, string? type, string? text)
    {
        var element = new XElement(kind, new XAttribute("message", Clean(message)));
        if (type is not null)
        {
            element.Add(new XAttribute("type", type));
        }
        if (text is not null)
        {
            element.Add(new XText(Clean(text)));
        }
        return element;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", Clean(value)));

    private static string FirstLine(string? message) => message is null ? "failed" : message.Split('\n', 2)[0].Trim();

    private static int Sum(IEnumerable<XElement> suites, string attribute) =>
        suites.Sum(s => int.Parse(s.Attribute(attribute)!.Value, CultureInfo.InvariantCulture));

    private static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Characters XML 1.0 cannot carry (a program may print anything) become U+FFFD.</summary>
    private static string Clean(string text) =>
        string.Concat(text.Select(c => XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD'));
}
