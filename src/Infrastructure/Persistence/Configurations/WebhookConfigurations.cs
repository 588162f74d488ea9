using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Webhooks;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("Webhooks");
        builder.HasKey(w => w.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(w => w.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(w => new { w.AccountId, w.CreatedAt });
        builder.HasIndex(w => new { w.AccountId, w.Slot }).IsUnique();
        builder.Property(w => w.Url).HasMaxLength(FieldLimits.Url).IsRequired();
        builder.PrimitiveCollection(w => w.Events).IsRequired();
        builder.Property(w => w.ProtectedSecret).HasMaxLength(1024).IsRequired();
        builder.Property(w => w.PreviousProtectedSecret).HasMaxLength(1024);
        builder.Property(w => w.CreatedBy).HasMaxLength(FieldLimits.Email).IsRequired();
        builder.Property(w => w.Version).IsConcurrencyToken();
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.HasKey(d => d.Id);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
        // The claim's index holds only what can still be sent: a delivery leaves it when it is delivered or fails for good, so
        // recording an outcome removes one entry instead of moving it, and the index stays as small as the backlog. Outcomes
        // are recorded by primary key (and lease), so the lease needs no index of its own.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_WebhookDeliveries_Due");
        builder.Property(d => d.EventType).HasMaxLength(64).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(500);
    }
}

public sealed class AccountEventConfiguration : IEntityTypeConfiguration<AccountEvent>
{
    public void Configure(EntityTypeBuilder<AccountEvent> builder)
    {
        builder.ToTable("Events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Type).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Data).IsRequired();
        // Published once: a dispatcher that read the event before another published it fails its save instead of publishing it twice.
        builder.Property(e => e.Sequence).IsConcurrencyToken();
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => new { e.AccountId, e.Sequence });
        builder.HasIndex(e => e.OccurredAt);
    }
}
