namespace PartnerAccounts.Api.Operations;

/// <summary>
/// Where the service reads <c>appsettings*.json</c>: the working directory when it holds them (<c>dotnet run</c> in the project
/// folder, or started in its own folder), else the folder of the service's own files (started from anywhere else, as a service
/// manager or a container does). An explicit <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> still wins; a relative
/// <c>--contentRoot</c> is taken from the working directory, as a shell user means it, and one that is no folder stops the
/// start with one line.
/// </summary>
public static class ContentRoot
{
    private const string SettingsFile = "appsettings.json";
    private const string Option = "--contentRoot";

    /// <summary>The content root (null: the host's default), the arguments left for the host, or why the start cannot go on.</summary>
    public readonly record struct Choice(string? Path, string[] HostArgs, string? Error);

    public static Choice Resolve(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            string? value = null;
            var taken = 1;
            if (args[i].Equals(Option, StringComparison.OrdinalIgnoreCase))
            {
                value = i + 1 < args.Length ? args[i + 1] : string.Empty;
                taken = 2;
            }
            else if (args[i].StartsWith(Option + "=", StringComparison.OrdinalIgnoreCase))
            {
                value = args[i][(Option.Length + 1)..];
            }

            if (value is null)
            {
                continue;
            }

            var rest = args[..i].Concat(args[Math.Min(args.Length, i + taken)..]).ToArray();
            var full = value.Length == 0 ? string.Empty : System.IO.Path.GetFullPath(value);
            return Directory.Exists(full)
                ? new Choice(full, rest, null)
                : new Choice(null, rest, $"the content root '{value}' (--contentRoot) is not a folder.");
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")) ||
            File.Exists(System.IO.Path.Combine(Directory.GetCurrentDirectory(), SettingsFile)))
        {
            return new Choice(null, args, null);
        }

        return new Choice(File.Exists(System.IO.Path.Combine(AppContext.BaseDirectory, SettingsFile)) ? AppContext.BaseDirectory : null, args, null);
    }
}
