using System.Xml;
using System.Xml.Linq;
using ConcurrencyKata.Grading;

namespace ConcurrencyKata.Tests;

/// <summary>summary.html: the gradebook's summary as a page a teacher opens in a browser.</summary>
public sealed class HtmlSummaryTests
{
    private static readonly GradeRow[] Rows =
    [
        new("bob", 2, "process-download", 3, 12, GradeStatus.Failed, ""),
        new("alice", 1, "sequential-download", 7, 7, GradeStatus.Passed, ""),
        new("alice", 2, "process-download", 12, 12, GradeStatus.Passed, ""),
        new("bob", 1, "sequential-download", 0, 7, GradeStatus.BuildFailed, ""),
        new("<script>eve</script>", 0, "", 0, 0, GradeStatus.Error, "No exercises & no \"Program.cs\" found."),
    ];

    [Test]
    public void It_is_one_well_formed_page_with_a_row_per_student_and_a_column_per_exercise()
    {
        var page = Parse(Gradebook.HtmlSummary(Rows, "Grades"));

        var table = page.Descendants("table").Single();
        Assert.That(
            table.Descendants("th").Select(h => h.Value),
            Is.EqualTo(new[] { "student", "points", "01 sequential-download", "02 process-download" })
        );
        var rows = table.Element("tbody")!.Elements("tr").Select(r => r.Elements("td").Select(d => d.Value).ToList());
        Assert.That(
            rows,
            Is.EqualTo(
                new[]
                {
                    new[] { "<script>eve</script>", "0 / 0", "", "" },
                    new[] { "alice", "19 / 19", "✅ 7/7", "✅ 12/12" },
                    new[] { "bob", "3 / 19", "🛠 0/7", "❌ 3/12" },
                }
            )
        );
        Assert.That(page.Descendants("td").Count(d => (string?)d.Attribute("class") == "build-failed"), Is.EqualTo(1));
    }

    [Test]
    public void What_students_wrote_is_text_never_markup()
    {
        var html = Gradebook.HtmlSummary(Rows, "Grades");
        var page = Parse(html);

        Assert.That(html, Does.Not.Contain("<script>"));
        Assert.That(page.Descendants("script"), Is.Empty);
        Assert.That(
            page.Descendants("li").Single().Value,
            Is.EqualTo("<script>eve</script>: error: No exercises & no \"Program.cs\" found.")
        );
    }

    [Test]
    public void Grading_writes_it_next_to_the_markdown_summary()
    {
        var output = Path.Combine(Path.GetTempPath(), "kata-html-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(output);
        try
        {
            Gradebook.WriteAll(Gradebook.Sorted(Rows), output, "Grades");

            Assert.That(
                Directory.GetFiles(output).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "gradebook.csv", "junit.xml", "summary.md", "summary.html" })
            );
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>The page as XML: it is written so that an XML parser reads it (the doctype aside).</summary>
    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(
            new StringReader(html),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore }
        );
        return XDocument.Load(reader);
    }
}
