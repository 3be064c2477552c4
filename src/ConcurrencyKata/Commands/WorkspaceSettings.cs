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
    [Description(
        "Language of course text: en or zh-CN, remembered in the workspace. Default: KATA_LANG, then the language chosen last, then your UI language."
    )]
    public string? Lang { get; init; }

    /// <summary>The language to use; a --lang given in a workspace is saved there for the next commands.</summary>
    public Catalog.Language Language(Workspace.LearnerWorkspace? workspace)
    {
        var state = workspace?.LoadState();
        var language = Catalog.Languages.Resolve(Lang, state?.Language);
        if (Lang is not null && workspace is not null && state!.Language != Catalog.Languages.Name(language))
        {
            workspace.SaveState(state with { Language = Catalog.Languages.Name(language) });
        }
        return language;
    }
}
