using System.Security.Claims;
using System.Text.Json;
using Mediator;
using PartnerAccounts.Api.Contracts.V1;
using PartnerAccounts.Api.Mapping;
using PartnerAccounts.Application.Common.Paging;
using PartnerAccounts.Application.Users;
using PartnerAccounts.Application.Users.ListUsers;
using PartnerAccounts.Application.Users.ResetPassword;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Infrastructure.Persistence;

namespace PartnerAccounts.Api.Cli;

/// <summary>
/// The commands of <c>dotnet PartnerAccounts.Api.dll &lt;command&gt;</c> that run against the configured database and exit:
/// <c>migrate</c> applies the migrations; <c>create-admin</c> enrolls the first account with its Global admin and prints that
/// admin's one-time password. Both go through the same code as the HTTP API (migrations, use cases), nothing writes rows directly.
/// </summary>
public static class OperatorCommands
{
    public static readonly string[] Names = ["migrate", "create-admin"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            return args[0] switch
            {
                "migrate" => await MigrateAsync(app, args[1..]),
                _ => await CreateAdminAsync(app, args[1..]),
            };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An operator's command: one line saying what failed, not a stack trace (the database is unreachable, ...).
            await Console.Error.WriteLineAsync($"{args[0]} failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(WebApplication app, string[] args)
    {
        if (args.Length > 0)
        {
            await Console.Error.WriteLineAsync("usage: migrate");
            return 2;
        }

        await DatabaseInitializer.MigrateAsync(app.Services);
        await Console.Out.WriteLineAsync("The database schema is current.");
        return 0;
    }

    /// <summary>
    /// <c>create-admin --email admin@example.com --account enroll.json</c>: the file is a <c>POST /v1/accounts</c> body. The person
    /// enrolls the account (becoming its Global admin, as over HTTP), then gets a temporary password through the password-reset
    /// use case: printed once, stored hashed, to be changed at the first sign-in.
    /// </summary>
    private static async Task<int> CreateAdminAsync(WebApplication app, string[] args)
    {
        string? email = null;
        string? accountFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length:
                    email = args[++i];
                    break;
                case "--account" when i + 1 < args.Length:
                    accountFile = args[++i];
                    break;
                default:
                    return await CreateAdminUsageAsync($"Unknown or incomplete option '{args[i]}'.");
            }
        }

        if (!EmailAddress.IsValid(email) || accountFile is null)
        {
            return await CreateAdminUsageAsync(null);
        }

        if (!File.Exists(accountFile))
        {
            return await CreateAdminUsageAsync($"The account file '{accountFile}' does not exist.");
        }

        var json = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        CreateAccountRequest? request;
        try
        {
            await using var file = File.OpenRead(accountFile);
            request = await JsonSerializer.DeserializeAsync<CreateAccountRequest>(file, json);
        }
        catch (JsonException ex)
        {
            return await CreateAdminUsageAsync($"The account file is not a POST /v1/accounts body: {ex.Message}");
        }

        if (request is null)
        {
            return await CreateAdminUsageAsync("The account file is empty.");
        }

        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("email", email!)], "cli")),
            RequestServices = scope.ServiceProvider,
        };
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();

        var account = await mediator.Send(request.ToCommand());
        if (!account.IsSuccess)
        {
            return await FailedAsync("Enrolling the account", account.Error!);
        }

        var users = await mediator.Send(new ListUsersQuery(account.Value.Id, new PageRequest(PageRequest.MaxLimit, null)));
        var admin = users.IsSuccess ? users.Value.Items.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)) : null;
        if (admin is null)
        {
            return await FailedAsync("Finding the new Global admin", users.Error ?? Error.NotFound("user_not_found", "The enrolling user is not a member."));
        }

        var password = await mediator.Send(new ResetPasswordCommand(account.Value.Id, admin.Id));
        if (!password.IsSuccess)
        {
            return await FailedAsync("Issuing the one-time password", password.Error!);
        }

        await Console.Out.WriteLineAsync($"Account {account.Value.Id} ({account.Value.LegalName}, MPN ID {account.Value.MpnId}) enrolled; Global admin {admin.Email}.");
        await Console.Out.WriteLineAsync($"One-time password (shown once, valid until {password.Value.ExpiresAt:u}; change it at the first sign-in with POST /v1/me/password):");
        await Console.Out.WriteLineAsync(password.Value.TemporaryPassword);
        return 0;
    }

    private static async Task<int> FailedAsync(string step, Error error)
    {
        await Console.Error.WriteLineAsync($"{step} failed: {error.Code}: {error.Message}");
        return 1;
    }

    private static async Task<int> CreateAdminUsageAsync(string? problem)
    {
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync(problem);
        }

        await Console.Error.WriteLineAsync("usage: create-admin --email <email> --account <file with a POST /v1/accounts body>");
        return 2;
    }
}
