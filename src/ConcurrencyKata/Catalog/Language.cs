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
    public static Language Resolve(string? option)
    {
        var choice = option ?? Environment.GetEnvironmentVariable("KATA_LANG");
        if (!string.IsNullOrWhiteSpace(choice))
        {
            return Parse(choice);
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
}
