using FluentValidation;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.Common.Models;

/// <summary>An address as a client sent it: every field may be missing until the validator has run.</summary>
public sealed record AddressInput(string? AddressLine1, string? AddressLine2, string? City, string? State, string? PostalCode, string? Country)
{
    public Address ToDomain() => new(AddressLine1!.Trim(), Blank(AddressLine2), City!.Trim(), Blank(State), PostalCode!.Trim(), Country!);

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed record ContactInput(string? FirstName, string? LastName, string? Email, string? PhoneNumber)
{
    public Contact ToDomain() => new(FirstName!.Trim(), LastName!.Trim(), Email!.Trim(), AddressInput.Blank(PhoneNumber));
}

public sealed record AddressDto(string AddressLine1, string? AddressLine2, string City, string? State, string PostalCode, string Country)
{
    public static AddressDto From(Address a) => new(a.AddressLine1, a.AddressLine2, a.City, a.State, a.PostalCode, a.Country);
}

public sealed record ContactDto(string FirstName, string LastName, string Email, string? PhoneNumber)
{
    public static ContactDto From(Contact c) => new(c.FirstName, c.LastName, c.Email, c.PhoneNumber);
}

/// <summary>A resource and the version behind its ETag.</summary>
public sealed record Versioned<T>(T Value, int Version);

public sealed class AddressInputValidator : AbstractValidator<AddressInput>
{
    public AddressInputValidator()
    {
        RuleFor(a => a.AddressLine1).NotEmpty().MaximumLength(FieldLimits.AddressLine);
        RuleFor(a => a.AddressLine2).MaximumLength(FieldLimits.AddressLine);
        RuleFor(a => a.City).NotEmpty().MaximumLength(FieldLimits.City);
        RuleFor(a => a.State).MaximumLength(FieldLimits.State);
        RuleFor(a => a.PostalCode).NotEmpty().MaximumLength(FieldLimits.PostalCode);
        RuleFor(a => a.Country).NotEmpty().Must(CountryCode.IsValid).WithMessage("'Country' must be an ISO 3166-1 alpha-2 code in upper case, such as US or DE.");
    }
}

public sealed class ContactInputValidator : AbstractValidator<ContactInput>
{
    public ContactInputValidator()
    {
        RuleFor(c => c.FirstName).NotEmpty().MaximumLength(FieldLimits.PersonName);
        RuleFor(c => c.LastName).NotEmpty().MaximumLength(FieldLimits.PersonName);
        RuleFor(c => c.Email).NotEmpty().Must(EmailAddress.IsValid).WithMessage("'Email' must be a valid email address.");
        RuleFor(c => c.PhoneNumber).Must(PhoneNumber.IsValid!).When(c => !string.IsNullOrWhiteSpace(c.PhoneNumber))
            .WithMessage("'Phone Number' must be a phone number of 5 to 15 digits, optionally starting with +.");
    }
}

public static class ValidatorExtensions
{
    /// <summary>Requires a nested object and validates it with its own validator.</summary>
    public static void RequiredObject<T, TChild>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, TChild?>> property, IValidator<TChild> childValidator)
        where TChild : class
    {
        validator.RuleFor(property).NotNull().SetValidator(childValidator!);
    }
}
