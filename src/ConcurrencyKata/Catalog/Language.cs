using System.Globalization;

namespace ConcurrencyKata.Catalog;

public enum Language
{
    English,
    Chinese,
}

public static class Languages
{
    /// <summary>"--lang zh-CN" / "en"; without it the KATA_LANG variable, then the UI culture (zh-* means Chinese).</summary>
    /// <summary>--lang, then KATA_LANG, then the choice saved in the workspace, then the UI language.</summary>
    public static Language Resolve(string? option, string? saved = null)
    {
        var choice = option ?? Environment.GetEnvironmentVariable("KATA_LANG");
        if (!string.IsNullOrWhiteSpace(choice))
        {
            return Parse(choice);
        }
        if (!string.IsNullOrWhiteSpace(saved) && TryParse(saved) is { } remembered)
        {
            return remembered;
        }
        return CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase)
            ? Language.Chinese
            : Language.English;
    }

    public static Language Parse(string text) =>
        text.Trim().ToLowerInvariant() switch
        {
            "en" or "en-us" or "en-gb" or "english" => Language.English,
            "zh" or "zh-cn" or "zh-hans" or "chinese" => Language.Chinese,
            _ => throw new KataException($"Unknown language '{text}'. Use 'en' or 'zh-CN'.", ExitCodes.Usage),
        };

    public static Language? TryParse(string text)
    {
        try
        {
            return Parse(text);
        }
        catch (KataException)
        {
            return null;
        }
    }

    /// <summary>The name saved in the workspace and given to --lang.</summary>
    public static string Name(Language language) => language == Language.Chinese ? "zh-CN" : "en";
}
