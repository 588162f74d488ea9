using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PartnerAccounts.Infrastructure.Persistence;

public static class DatabaseInitializer
{
    /// <summary>
    /// <see cref="MigrateAsync"/> at start-up: a database that cannot be reached or written (PostgreSQL down, a read-only or full
    /// SQLite file, a folder it cannot be created in) is one clear line on <paramref name="error"/> and false (the process exits
    /// with the start-up validation's exit code, 3), not a stack trace.
    /// </summary>
    public static async Task<bool> TryMigrateAsync(IServiceProvider services, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            await MigrateAsync(services, cancellationToken);
            return true;
        }
        catch (UnknownMigrationsException ex)
        {
            await error.WriteLineAsync($"PartnerAccounts cannot start: {ex.Message}");
            return false;
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            await error.WriteLineAsync($"PartnerAccounts cannot start: the database cannot be reached or written ({ex.GetBaseException().Message.ReplaceLineEndings(" ")})");
            return false;
        }
    }

    /// <summary>
    /// Applies the provider's migrations. EF Core takes a database-wide migration lock, so several nodes starting at once are safe.
    /// SQLite runs in WAL mode so readers never wait for the writer.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        // A database migrated by a build whose migrations this one does not have (a pre-release database from before the one
        // migration per provider, or a newer release's): migrating it would fail half-way on tables that already exist.
        var known = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        var unknown = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).Where(m => !known.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new UnknownMigrationsException(unknown);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}

/// <summary>The database holds migrations this build does not know (docs/adr/0011-generated-code.md, "Migrations").</summary>
public sealed class UnknownMigrationsException(IReadOnlyList<string> unknown) : Exception(
    $"the database was migrated by another build ({string.Join(", ", unknown.Take(3))}{(unknown.Count > 3 ? ", ..." : string.Empty)} unknown here). " +
    "A database created before v1's migrations were squashed into one per provider cannot be upgraded: create it again (for `dotnet run`, delete src/Api/data).")
{
    public IReadOnlyList<string> Unknown { get; } = unknown;
}

