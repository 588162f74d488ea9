using PartnerAccounts.Api.Auth;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Cli;

/// <summary><c>dotnet run --project src/Api -- token --email you@example.com [--operator] [--minutes 60]</c>: prints a signed token (Development only).</summary>
public static class TokenCommand
{
    public static int Run(WebApplicationBuilder builder, string[] args)
    {
        if (!builder.Environment.IsDevelopment())
        {
            Console.Error.WriteLine("The token command only works in the Development environment.");
            return 2;
        }

        string? email = null;
        var isOperator = false;
        var minutes = 60;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--email" when i + 1 < args.Length:
                    email = args[++i];
                    break;
                case "--operator":
                    isOperator = true;
                    break;
                case "--minutes" when i + 1 < args.Length && int.TryParse(args[i + 1], out var m) && m is > 0 and <= 1440:
                    minutes = m;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'.");
                    return Usage();
            }
        }

        if (!EmailAddress.IsValid(email))
        {
            return Usage();
        }

        Console.WriteLine(Authentication.CreateToken(builder.Configuration, email!, isOperator, TimeSpan.FromMinutes(minutes)));
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: token --email <email> [--operator] [--minutes 1-1440]");
        return 2;
    }
}
