namespace PartnerAccounts.Api.Operations;

/// <summary>
/// Where the service reads <c>appsettings*.json</c>: the working directory when it holds them (<c>dotnet run</c> in the project
/// folder, or started in its own folder), else the folder of the service's own files (started from anywhere else, as a service
/// manager or a container does). An explicit <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> still wins.
/// </summary>
public static class ContentRoot
{
    private const string SettingsFile = "appsettings.json";

    public static string? Resolve(string[] args)
    {
        if (args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")) ||
            File.Exists(Path.Combine(Directory.GetCurrentDirectory(), SettingsFile)))
        {
            return null;
        }

        return File.Exists(Path.Combine(AppContext.BaseDirectory, SettingsFile)) ? AppContext.BaseDirectory : null;
    }
}
