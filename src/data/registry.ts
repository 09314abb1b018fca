/**
 * What the project knows about each dataset: where its files live, where to fetch them, what they
 * hash to, and how the paper splits them. Everything else reads these records; nothing else holds
 * a URL or a checksum.
 *
 * Checksums: `published` is the file as its publisher serves it (what a download is checked
 * against); `content` is the decompressed content of a .gz, which still identifies the data when
 * a copy was recompressed (Debian's Fashion-MNIST) or stored decompressed.
 *
 * @example
 *   const spec = getDatasetSpec('mnist');
 *   console.log(spec.classNames.length, spec.shape, spec.splits.paper); // 10 [28,28,1] {train:50000,test:10000}
 */
import type { Checksums } from './checksum';

export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'cifar10'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** `paper` (the default): the split Gao & Jojic train and test on; `official`: the publisher's. */
export type SplitName = 'paper' | 'official';
export type OfficialPart = 'train' | 'test';

export interface DatasetFile {
  /** Name under the dataset's folder, as published. */
  readonly name: string;
  readonly part: OfficialPart;
  /** IDX images, IDX labels, or CIFAR-10 records (a label byte then the image). */
  readonly role: 'images' | 'labels' | 'records';
  readonly published: Checksums & { readonly bytes: number };
  readonly content?: Checksums;
}

export type DatasetSource =
  /** Each file fetched as `<mirror><name>`, mirrors tried in order. */
  | { readonly kind: 'files'; readonly mirrors: readonly string[] }
  /** One tar.gz holding the files under `memberFolder/`. */
  | {
      readonly kind: 'archive';
      readonly urls: readonly string[];
      readonly fileName: string;
      readonly published: Checksums & { readonly bytes: number };
      readonly memberFolder: string;
    };

export interface DatasetSpec {
  readonly name: string;
  readonly title: string;
  /** Folder under the data directory. */
  readonly folder: string;
  readonly format: 'idx' | 'cifar10';
  readonly classNames: readonly string[];
  /** [height, width, channels] of one image. */
  readonly shape: readonly [number, number, number];
  /** Images in the official train and test parts. */
  readonly officialCounts: { readonly train: number; readonly test: number };
  /** Each split takes the first `train` official training images and the first `test` test images. */
  readonly splits: Readonly<Record<SplitName, { readonly train: number; readonly test: number }>>;
  readonly files: readonly DatasetFile[];
  readonly source: DatasetSource;
  /** Folders tried, in order, when the data directory lacks the dataset. */
  readonly fallbackFolders: readonly string[];
  readonly licence: string;
}

/** Where Debian's `dataset-fashion-mnist` package installs the official files (re-gzipped). */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const MNIST: DatasetSpec = {
  name: 'mnist',
  title: 'MNIST',
  folder: 'mnist',
  format: 'idx',
  classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  shape: [28, 28, 1],
  officialCounts: { train: 60000, test: 10000 },
  splits: { official: { train: 60000, test: 10000 }, paper: { train: 50000, test: 10000 } },
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      part: 'train',
      role: 'images',
      published: {
        bytes: 9912422,
        md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
        sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      },
      content: {
        md5: '6bbc9ace898e44ae57da46a324031adb',
        sha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      },
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      part: 'train',
      role: 'labels',
      published: {
        bytes: 28881,
        md5: 'd53e105ee54ea40749a09fcbcd1e9432',
        sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      },
      content: {
        md5: 'a25bea736e30d166cdddb491f175f624',
        sha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      },
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      part: 'test',
      role: 'images',
      published: {
        bytes: 1648877,
        md5: '9fb629c4189551a2d022fa330f9573f3',
        sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      },
      content: {
        md5: '2646ac647ad5339dbf082846283269ea',
        sha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      },
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      part: 'test',
      role: 'labels',
      published: {
        bytes: 4542,
        md5: 'ec29112dd5afa0611ce80d1b7f02629c',
        sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
      },
      content: {
        md5: '27ae3e4e09519cfbb04c329615203637',
        sha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
      },
    },
  ],
  // yann.lecun.com often refuses or times out; the PyTorch mirror serves the same bytes.
  source: {
    kind: 'files',
    mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  },
  fallbackFolders: [],
  licence: 'CC BY-SA 3.0 (Yann LeCun, Corinna Cortes, Christopher J.C. Burges)',
};

const FASHION_MNIST: DatasetSpec = {
  name: 'fashion-mnist',
  title: 'Fashion-MNIST',
  folder: 'fashion-mnist',
  format: 'idx',
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  shape: [28, 28, 1],
  officialCounts: { train: 60000, test: 10000 },
  splits: { official: { train: 60000, test: 10000 }, paper: { train: 50000, test: 10000 } },
  // md5s of the .gz are Zalando's; sha256s of the .gz and the content digests are as published by
  // other projects and agree with Debian's copy (same content, gzip header without the file name).
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      part: 'train',
      role: 'images',
      published: {
        bytes: 26421880,
        md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
        sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
      },
      content: {
        md5: 'f4a8712d7a061bf5bd6d2ca38dc4d50a',
        sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      },
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      part: 'train',
      role: 'labels',
      published: {
        bytes: 29515,
        md5: '25c81989df183df01b3e8a0aad5dffbe',
        sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
      },
      content: {
        md5: '9018921c3c673c538a1fc5bad174d6f9',
        sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      },
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      part: 'test',
      role: 'images',
      published: {
        bytes: 4422102,
        md5: 'bef4ecab320f06d8554ea6380940ec79',
        sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
      },
      content: {
        md5: '8181f5470baa50b63fa0f6fddb340f0a',
        sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      },
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      part: 'test',
      role: 'labels',
      published: {
        bytes: 5148,
        md5: 'bb300cfdad3c16e7a12a480ee83cd310',
        sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
      },
      content: {
        md5: '15d484375f8d13e6eb1aabb0c3f46965',
        sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
      },
    },
  ],
  source: { kind: 'files', mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'] },
  fallbackFolders: [DEBIAN_FASHION_MNIST_DIR],
  licence: 'MIT (Zalando SE, 2017)',
};

const cifarBatch = (name: string, part: OfficialPart, md5: string, sha256: string): DatasetFile => ({
  name,
  part,
  role: 'records',
  published: { bytes: 30730000, md5, sha256 },
});

const CIFAR10: DatasetSpec = {
  name: 'cifar10',
  title: 'CIFAR-10',
  folder: 'cifar-10-batches-bin',
  format: 'cifar10',
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  shape: [32, 32, 3],
  officialCounts: { train: 50000, test: 10000 },
  splits: { official: { train: 50000, test: 10000 }, paper: { train: 50000, test: 10000 } },
  files: [
    cifarBatch(
      'data_batch_1.bin',
      'train',
      '5dd7e06a14cb22eb9f671a540d1b7c25',
      'cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5',
    ),
    cifarBatch(
      'data_batch_2.bin',
      'train',
      '5ea93a67294ea407fff1d09f752e9692',
      'a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed',
    ),
    cifarBatch(
      'data_batch_3.bin',
      'train',
      '942cd6a4bcdd0dd3c604fbe906cb4421',
      'bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67',
    ),
    cifarBatch(
      'data_batch_4.bin',
      'train',
      'ae636b3ba5c66a11e91e8cb52e771fcb',
      '014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48',
    ),
    cifarBatch(
      'data_batch_5.bin',
      'train',
      '53f37980c15c3d472c316c40844f3f0d',
      '755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add',
    ),
    cifarBatch(
      'test_batch.bin',
      'test',
      '803d5f7f4d78ea53de84dbe85f74fb6d',
      '8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b',
    ),
  ],
  source: {
    kind: 'archive',
    urls: ['https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz'],
    fileName: 'cifar-10-binary.tar.gz',
    published: {
      bytes: 170052171,
      md5: 'c32a1d4ab5d03f1284b67883e8d87530',
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    },
    memberFolder: 'cifar-10-batches-bin',
  },
  fallbackFolders: [],
  licence: 'free for research use, citing Krizhevsky (2009), "Learning Multiple Layers of Features from Tiny Images"',
};

const SPECS: Readonly<Record<DatasetName, DatasetSpec>> = {
  mnist: MNIST,
  'fashion-mnist': FASHION_MNIST,
  cifar10: CIFAR10,
};

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}

/** The dataset's display name ('CIFAR-10'), or the name itself when it is not registered. */
export function datasetTitle(name: string): string {
  return isDatasetName(name) ? SPECS[name].title : name;
}

export function getDatasetSpec(name: string): DatasetSpec {
  if (!isDatasetName(name)) throw new Error(`unknown dataset '${name}' (known: ${DATASET_NAMES.join(', ')})`);
  return SPECS[name];
}

/** A spec itself, or the registered one of that name: lets tests pass small synthetic datasets. */
export function resolveSpec(dataset: string | DatasetSpec): DatasetSpec {
  return typeof dataset === 'string' ? getDatasetSpec(dataset) : dataset;
}
