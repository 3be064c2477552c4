using System.ComponentModel;
using Spectre.Console.Cli;

namespace ConcurrencyKata.Commands;

/// <summary>Options every workspace command shares.</summary>
public class WorkspaceSettings : CommandSettings
{
    [CommandOption("-w|--workspace <DIR>")]
    [Description("The workspace folder. Default: the current folder, or the workspace it is inside.")]
    public string? Workspace { get; init; }
}

/// <summary>Options of commands that show course text.</summary>
public class LanguageSettings : WorkspaceSettings
{
    [CommandOption("--lang <LANG>")]
    [Description("Language of course text: en or zh-CN. Default: KATA_LANG, then your UI language.")]
    public string? Lang { get; init; }
}
