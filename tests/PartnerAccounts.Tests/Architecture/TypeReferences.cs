using System.Reflection;
using System.Reflection.Emit;

namespace PartnerAccounts.Tests.Architecture;

/// <summary>
/// Every type a compiled type uses: its base type, interfaces, fields, properties, method signatures and local variables,
/// and whatever its method bodies call, create, read, cast to or take a token of (read from the IL). Compiler-generated
/// nested types (lambdas' closures, async state machines) count as part of the type that declares them.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static HashSet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        foreach (var member in new[] { type }.Concat(Nested(type)))
        {
            Collect(member, found);
        }

        return found;
    }

    private static IEnumerable<Type> Nested(Type type) =>
        type.GetNestedTypes(Everything).SelectMany(n => new[] { n }.Concat(Nested(n)));

    private static void Collect(Type type, HashSet<Type> found)
    {
        Add(type.BaseType, found);
        foreach (var implemented in type.GetInterfaces())
        {
            Add(implemented, found);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Add(field.FieldType, found);
        }

        foreach (var property in type.GetProperties(Everything))
        {
            Add(property.PropertyType, found);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType, found);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType, found);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType, found);
            }

            foreach (var used in UsedByIl(method, body.GetILAsByteArray() ?? []))
            {
                Add(used, found);
            }
        }
    }

    private static IEnumerable<Type?> UsedByIl(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE && position < il.Length)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                yield break; // not an instruction boundary we understand: stop rather than misread
            }

            var operandStart = position;
            position += OperandSize(opCode, il, position);
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, operandStart);
                MemberInfo? member;
                try
                {
                    member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    member = null;
                }

                switch (member)
                {
                    case Type used:
                        yield return used;
                        break;
                    case FieldInfo field:
                        yield return field.DeclaringType;
                        yield return field.FieldType;
                        break;
                    case MethodInfo called:
                        yield return called.DeclaringType;
                        yield return called.ReturnType;
                        foreach (var argument in called.IsGenericMethod ? called.GetGenericArguments() : [])
                        {
                            yield return argument;
                        }

                        break;
                    case ConstructorInfo created:
                        yield return created.DeclaringType;
                        break;
                }
            }
        }
    }

    private static int OperandSize(OpCode opCode, byte[] il, int position) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    /// <summary>The type itself, its element type and its generic arguments, at any depth.</summary>
    private static void Add(Type? type, HashSet<Type> found)
    {
        if (type is null || !found.Add(type))
        {
            return;
        }

        if (type.HasElementType)
        {
            Add(type.GetElementType(), found);
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(argument, found);
            }
        }
    }
}
