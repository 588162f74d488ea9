using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Persistence.Configurations;

public sealed class LegalBusinessProfileConfiguration : IEntityTypeConfiguration<LegalBusinessProfile>
{
    public void Configure(EntityTypeBuilder<LegalBusinessProfile> builder)
    {
        builder.ConfigureProfile("LegalBusinessProfiles");
        builder.Property(p => p.CompanyName).HasMaxLength(FieldLimits.CompanyName).IsRequired();
        builder.ComplexProperty(p => p.Address, ValueObjectMappings.Configure);
        builder.ComplexProperty(p => p.PrimaryContact, ValueObjectMappings.Configure);
        builder.ComplexProperty(p => p.CompanyApprover, ValueObjectMappings.Configure);
    }
}

public sealed class OrganizationProfileConfiguration : IEntityTypeConfiguration<OrganizationProfile>
{
    public void Configure(EntityTypeBuilder<OrganizationProfile> builder)
    {
        builder.ConfigureProfile("OrganizationProfiles");
        builder.Property(p => p.CompanyName).HasMaxLength(FieldLimits.CompanyName).IsRequired();
        builder.Property(p => p.Email).HasMaxLength(FieldLimits.Email).IsRequired();
        builder.Property(p => p.Language).HasMaxLength(FieldLimits.Language).IsRequired();
        builder.Property(p => p.Culture).HasMaxLength(FieldLimits.Language).IsRequired();
        builder.ComplexProperty(p => p.Address, ValueObjectMappings.Configure);
    }
}

public sealed class SupportProfileConfiguration : IEntityTypeConfiguration<SupportProfile>
{
    public void Configure(EntityTypeBuilder<SupportProfile> builder)
    {
        builder.ConfigureProfile("SupportProfiles");
        builder.Property(p => p.Email).HasMaxLength(FieldLimits.Email);
        builder.Property(p => p.PhoneNumber).HasMaxLength(FieldLimits.Phone);
        builder.Property(p => p.Website).HasMaxLength(FieldLimits.Url);
    }
}

public sealed class BillingProfileConfiguration : IEntityTypeConfiguration<BillingProfile>
{
    public void Configure(EntityTypeBuilder<BillingProfile> builder)
    {
        builder.ConfigureProfile("BillingProfiles");
        builder.ComplexProperty(p => p.Address, ValueObjectMappings.Configure);
        builder.Property(p => p.PurchaseOrderNumber).HasMaxLength(FieldLimits.PurchaseOrderNumber);
        builder.Property(p => p.TaxId).HasMaxLength(FieldLimits.TaxId);

        // Protected (encrypted) bank numbers are longer than the numbers themselves.
        builder.ComplexProperty(p => p.BankInformation, bank =>
        {
            bank.Property(b => b.AccountHolderName).HasColumnName("BankAccountHolderName").HasMaxLength(FieldLimits.AccountHolder);
            bank.Property(b => b.ProtectedIban).HasColumnName("BankProtectedIban").HasMaxLength(1024);
            bank.Property(b => b.RoutingNumber).HasColumnName("BankRoutingNumber").HasMaxLength(FieldLimits.RoutingNumber);
            bank.Property(b => b.ProtectedAccountNumber).HasColumnName("BankProtectedAccountNumber").HasMaxLength(1024);
            bank.Property(b => b.SwiftBic).HasColumnName("BankSwiftBic").HasMaxLength(FieldLimits.SwiftBic);
            bank.Property(b => b.Last4).HasColumnName("BankLast4").HasMaxLength(4);
        });
    }
}

public sealed class BusinessProfileConfiguration : IEntityTypeConfiguration<BusinessProfile>
{
    public void Configure(EntityTypeBuilder<BusinessProfile> builder)
    {
        builder.ConfigureProfile("BusinessProfiles");
        builder.Property(p => p.Description).HasMaxLength(FieldLimits.Description);
        builder.Property(p => p.Website).HasMaxLength(FieldLimits.Url);
        builder.Property(p => p.LogoUrl).HasMaxLength(FieldLimits.Url);
        builder.PrimitiveCollection(p => p.Industries);
        builder.PrimitiveCollection(p => p.Products);
        builder.PrimitiveCollection(p => p.Services);
    }
}
