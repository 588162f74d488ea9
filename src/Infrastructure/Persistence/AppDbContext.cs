using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Common.Errors;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Domain.Audit;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;
using PartnerAccounts.Domain.Webhooks;
using PartnerAccounts.Infrastructure.Caching;

namespace PartnerAccounts.Infrastructure.Persistence;

/// <summary>The model, shared by both providers; <see cref="SqliteAppDbContext"/> and <see cref="PostgresAppDbContext"/> each own a migration set.</summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options), IAppDbContext, IDataProtectionKeyContext
{
    /// <summary>Set while a DI scope's <see cref="ScopedAppDbContext"/> holds this (pooled) context; see <see cref="Dispose"/>.</summary>
    private bool _heldByScope;

    /// <summary>
    /// A context a DI scope holds is given back to the pool by its holder only, once, when the scope ends: the scope also disposes
    /// it once for each service type it was resolved as (<see cref="AppDbContext"/>, <see cref="IAppDbContext"/>), and a second
    /// give-back after another scope had rented it again would give back that scope's context under it.
    /// </summary>
    public override void Dispose()
    {
        if (!_heldByScope)
        {
            base.Dispose();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public override ValueTask DisposeAsync() => _heldByScope ? ValueTask.CompletedTask : base.DisposeAsync();

    internal void HeldByScope() => _heldByScope = true;

    internal ValueTask ReleaseFromScopeAsync()
    {
        _heldByScope = false;
        return base.DisposeAsync();
    }

    internal void ReleaseFromScope()
    {
        _heldByScope = false;
        base.Dispose();
    }

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<LegalBusinessProfile> LegalBusinessProfiles => Set<LegalBusinessProfile>();

    public DbSet<OrganizationProfile> OrganizationProfiles => Set<OrganizationProfile>();

    public DbSet<SupportProfile> SupportProfiles => Set<SupportProfile>();

    public DbSet<BillingProfile> BillingProfiles => Set<BillingProfile>();

    public DbSet<BusinessProfile> BusinessProfiles => Set<BusinessProfile>();

    public DbSet<Location> Locations => Set<Location>();

    public DbSet<TaxExemption> TaxExemptions => Set<TaxExemption>();

    public DbSet<MpnRegistration> MpnRegistrations => Set<MpnRegistration>();

    public DbSet<User> Users => Set<User>();

    public DbSet<AccountMember> AccountMembers => Set<AccountMember>();

    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Webhook> Webhooks => Set<Webhook>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<AccountEvent> Events => Set<AccountEvent>();

    public DbSet<Domain.Learn.LearnProfile> LearnProfiles => Set<Domain.Learn.LearnProfile>();

    public DbSet<CacheChange> CacheChanges => Set<CacheChange>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Idempotency.IdempotencyRecord>();

    public async Task<Result<Success>> SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SaveChangesAsync(cancellationToken);
            return Success.Value;
        }
        catch (DbUpdateConcurrencyException)
        {
            return ProfileErrors.EtagMismatch;
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            return Error.Conflict("unique_conflict", "The change conflicts with another one made at the same time; retry it.");
        }
    }

    public void Reset() => ChangeTracker.Clear();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Timestamps are UTC; SQLite hands them back unspecified, so mark them UTC on the way in.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }

    private static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>
/// SQLite: every save waits its turn at the database file's <see cref="SqliteWriteGate"/>, so writers never spin on a busy write
/// lock, and returns once its commit is on disk (<see cref="SqliteWalSync"/>: flushes are shared, outside the write lock).
/// </summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    /// <summary>Inside SaveChanges: its commit is flushed when it returns, not statement by statement.</summary>
    internal bool IsSaving { get; private set; }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var gate = WriteGate;
        int saved;
        gate.Wait();
        try
        {
            IsSaving = true;
            saved = base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            IsSaving = false;
            gate.Release();
        }

        if (saved > 0)
        {
            WalSync.FlushAsync().GetAwaiter().GetResult();
        }

        return saved;
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var gate = WriteGate;
        int saved;
        await gate.WaitAsync(cancellationToken);
        try
        {
            IsSaving = true;
            saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            IsSaving = false;
            gate.Release();
        }

        // Committed: not the request's token from here, the caller is answered only once the commit is durable.
        if (saved > 0)
        {
            await WalSync.FlushAsync();
        }

        return saved;
    }

    private SemaphoreSlim WriteGate => SqliteWriteGate.For(Database.GetDbConnection().DataSource);

    private SqliteWalSync WalSync => SqliteWalSync.For(Database.GetDbConnection().DataSource);
}

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
