/** Enum constraints read from an SDK client's type declarations, which its schemas lack. */
import { parseServiceEnums, typeConstraint } from './sdk-enums';

const enumDeclarations = `
/**
 * @public
 * @enum
 */
export declare const Color: {
    readonly RED: "red";
    readonly BLUE: "blue";
};
export type Color = (typeof Color)[keyof typeof Color];
export declare const Priority: {
    readonly LOW: 1;
    readonly HIGH: 10;
};
`;
const modelDeclarations = `
export interface PaintInput {
    /**
     * <p>The color; see Color.</p>
     * @public
     */
    Color: Color | undefined;
    Priority?: Priority | undefined;
    Palette?: Color[] | undefined;
    ByColor?: Partial<Record<Color, number[]>> | undefined;
    Labels?: Record<string, Color> | undefined;
    Name?: string | undefined;
}
export type Shade = Shade.ColorMember | Shade.NameMember | Shade.$UnknownMember;
export declare namespace Shade {
    interface ColorMember {
        Color: Color;
        Name?: never;
        $unknown?: never;
    }
    interface NameMember {
        Color?: never;
        Name: string;
        $unknown?: never;
    }
}
`;

describe('SDK enum constraints', () => {
  const enums = parseServiceEnums(modelDeclarations, enumDeclarations);

  it('finds string and int enums of members, list items, map keys and values, and union members', () => {
    const color = { enum: 'Color', values: ['red', 'blue'] };
    expect(enums.member('PaintInput', 'Color')).toEqual(color);
    expect(enums.member('PaintInput', 'Priority')).toEqual({ enum: 'Priority', values: [1, 10] });
    expect(enums.member('PaintInput', 'Palette')).toEqual({ list: color });
    expect(enums.member('PaintInput', 'ByColor')).toEqual({ map: { key: color, value: undefined } });
    expect(enums.member('PaintInput', 'Labels')).toEqual({ map: { key: undefined, value: color } });
    expect(enums.member('Shade', 'Color')).toEqual(color);
  });

  it('finds none for members that are not enums', () => {
    expect(enums.member('PaintInput', 'Name')).toBeUndefined();
    expect(enums.member('Shade', 'Name')).toBeUndefined();
    expect(typeConstraint('Record<string, string[]> | undefined', new Map())).toBeUndefined();
  });
});
