import {
  Car,
  House,
  type LucideIcon,
  Plane,
  Receipt,
  ShoppingCart,
  Sofa,
  Tag,
  Ticket,
  UtensilsCrossed,
  Zap,
} from 'lucide-react';

/** One icon per built-in category; categories people typed get the tag. Colours are in styles.css (.cat-*). */
const ICONS: Readonly<Record<string, LucideIcon>> = {
  general: Receipt,
  groceries: ShoppingCart,
  dining: UtensilsCrossed,
  rent: House,
  utilities: Zap,
  transport: Car,
  household: Sofa,
  entertainment: Ticket,
  travel: Plane,
  other: Tag,
};

/** The category's icon in its colour; decorative (the category's name is always shown beside it). */
export function CategoryIcon({ category, size = 18 }: { category: string; size?: number }) {
  const Icon = ICONS[category] ?? Tag;
  const known = category in ICONS ? category : 'custom';
  return (
    <span className={`category-icon cat-${known}`} aria-hidden="true" data-testid="category-icon">
      <Icon size={size} strokeWidth={2} />
    </span>
  );
}
